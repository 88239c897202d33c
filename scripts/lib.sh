# Shared helpers of the scripts that start throwaway servers (sourced, not run).

# free_port prints a TCP port on 127.0.0.1 that nothing listens on (a random pick
# between 20000 and 59999, tried up to 50 times).
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}
