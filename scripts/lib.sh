# Shared helpers for scripts/*. Source it after setting NAME (the script's name).
# shellcheck shell=bash disable=SC2034  # ROOT, VENV are used by the sourcing scripts

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

log() { printf '%s: %s\n' "$NAME" "$*" >&2; }
die() { printf '%s: error: %s\n' "$NAME" "$*" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found${2:+ ($2)}"; }

# A TCP port on 127.0.0.1 that is free right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# True when nothing listens on 127.0.0.1:$1 (we can bind it).
port_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind(("127.0.0.1",int(sys.argv[1])))' "$1" 2>/dev/null
}

# True when pid $1 exists and is not a zombie (a zombie has exited; nobody reaped it yet).
pid_alive() {
  [[ -n "${1:-}" && -r "/proc/$1/stat" ]] || return 1
  local stat; stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]]
}

# Wait up to $2 seconds for pid $1 to exit.
wait_exit() {
  local pid="$1" i
  for ((i = 0; i < $2 * 10; i++)); do pid_alive "$pid" || return 0; sleep 0.1; done
  ! pid_alive "$pid"
}

# Parse "[--port N] [--data-dir D]" into PORT and DATA_DIR (absolute).
parse_opts() {
  PORT=""
  while (($#)); do
    case "$1" in
      --port) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || die "--port needs a number"; PORT="$2"; shift 2 ;;
      --port=*) PORT="${1#--port=}"; [[ "$PORT" =~ ^[0-9]+$ ]] || die "--port needs a number"; shift ;;
      --data-dir) [[ $# -ge 2 ]] || die "--data-dir needs a path"; DATA_DIR="$2"; shift 2 ;;
      --data-dir=*) DATA_DIR="${1#--data-dir=}"; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  DATA_DIR="$(realpath -m "$DATA_DIR")"
}

# Port to start on: --port, else the one saved in file $1 if still free, else a free one.
choose_port() {
  if [[ -n "$PORT" ]]; then
    port_free "$PORT" || die "port $PORT on 127.0.0.1 is already in use"
    echo "$PORT"; return
  fi
  local saved=""
  [[ -f "$1" ]] && saved="$(cat "$1")"
  if [[ "$saved" =~ ^[0-9]+$ ]] && port_free "$saved"; then echo "$saved"; return; fi
  [[ -n "$saved" ]] && log "saved port $saved is taken; picking another"
  free_port
}
