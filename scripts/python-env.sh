# Sourced by the scripts that run Python (bootstrap, generate, test, readme-examples), with $root
# set to the repository: puts Rapport's virtual environment, .venv, first on PATH when there is
# one, so `python3` (and the #!/usr/bin/env python3 of scripts/protoc-gen-rapport) is the
# interpreter scripts/bootstrap installed the Python packages into.
#
# scripts/bootstrap makes .venv only when python3 is "externally managed" (PEP 668: pip refuses
# to install into it, as with Debian 12's /usr/bin/python3); otherwise packages go to python3 itself
# and there is no .venv. An active virtual environment ($VIRTUAL_ENV) is always used as it is.
if [ -z "${VIRTUAL_ENV:-}" ] && [ -x "$root/.venv/bin/python3" ]; then
  case ":$PATH:" in
    *":$root/.venv/bin:"*) ;;
    *) PATH="$root/.venv/bin:$PATH" ;;
  esac
  export PATH
fi
