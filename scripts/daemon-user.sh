# Sourced by the scripts that start rapportd for client tests (clients/c/run-tests,
# scripts/readme-examples). RAPPORTD_USER=nobody (set by scripts/test when run as root) runs the
# daemon as that unprivileged user, the way a systemd unit with its own user runs it: a daemon
# that needs root for anything fails these tests.
#
#   daemon_prefix=(); prepare_daemon_dir "$work" "$work/data"
#   "${daemon_prefix[@]}" "$rapportd" --data-dir "$work/data" ...

# prepare_daemon_dir WORK DATA: creates DATA; with RAPPORTD_USER (and root) gives that user
# search permission on WORK and ownership of DATA, and sets daemon_prefix to the setpriv command.
prepare_daemon_dir() {
  local work="$1" data="$2"
  daemon_prefix=()
  mkdir -p "$data"
  if [ -n "${RAPPORTD_USER:-}" ] && [ "$(id -u)" = 0 ]; then
    local group
    group="$(id -gn "$RAPPORTD_USER")"
    chmod o+x "$work"
    chown "$RAPPORTD_USER:$group" "$data"
    daemon_prefix=(setpriv "--reuid=$RAPPORTD_USER" "--regid=$group" --clear-groups --)
  fi
}
