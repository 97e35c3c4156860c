# server.sh: a local S3 for the end-to-end tests: moto_server on a free port of
# 127.0.0.1. Sourced from the repository root (publish.sh, faults.sh).
#
#   s3_can_serve             0 when moto_server and python3 are installed (else says why)
#   s3_start LOG [FREE]      starts moto, its output into LOG; sets S3_ENDPOINT. With FREE,
#                            only the first FREE requests go unsigned and every later
#                            signature is checked; without, signatures are not checked
#   s3_stop                  stops it

S3_PID=
S3_ENDPOINT=

s3_can_serve() {
	for tool in moto_server python3; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "skip: $tool is absent: publishing to a local S3 is not tested"
			return 1
		fi
	done
	return 0
}

s3_start() {
	s3_log=$1 s3_free=${2:-}
	s3_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	if [ -n "$s3_free" ]; then
		INITIAL_NO_AUTH_ACTION_COUNT=$s3_free moto_server -H 127.0.0.1 -p "$s3_port" >"$s3_log" 2>&1 &
	else
		moto_server -H 127.0.0.1 -p "$s3_port" >"$s3_log" 2>&1 &
	fi
	S3_PID=$!
	S3_ENDPOINT=http://127.0.0.1:$s3_port
	for _ in $(seq 1 200); do
		if python3 -c "import urllib.request; urllib.request.urlopen('$S3_ENDPOINT/moto-api/', timeout=1)" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

s3_stop() {
	[ -n "$S3_PID" ] || return 0
	kill "$S3_PID" 2>/dev/null
	wait "$S3_PID" 2>/dev/null
	S3_PID=
}
