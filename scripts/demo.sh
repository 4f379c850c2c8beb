#!/bin/bash
# make demo (until tern-lab exists): the seed's EBGP link R2 - R3 (192.168.2.0/24) in two
# network namespaces. R2 runs Tern (AS 100), R3 runs BIRD 2 (AS 200). Shows the peering come
# up as the seed describes it, then a clean teardown, then the same link Tern to Tern.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
work=$(mktemp -d /tmp/tern-demo.XXXXXX)
r2=tern-demo-r2
r3=tern-demo-r3
pids=()

cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	sleep 0.3
	for ns in $r2 $r3; do
		ip netns pids $ns 2>/dev/null | xargs -r kill -9 2>/dev/null || true
		ip netns del $ns 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
if [ "$(id -u)" -ne 0 ]; then
	echo "make demo creates network namespaces: run it as root" >&2
	exit 1
fi
cleanup 2>/dev/null; mkdir -p "$work"

ip netns add $r2
ip netns add $r3
ip -n $r2 link add f0-0 type veth peer name f1-0 netns $r3
ip -n $r2 addr add 192.168.2.1/24 dev f0-0
ip -n $r3 addr add 192.168.2.2/24 dev f1-0
for ns in $r2 $r3; do ip -n $ns link set lo up; done
ip -n $r2 link set f0-0 up
ip -n $r3 link set f1-0 up
ip -n $r2 addr add 1.1.1.1/32 dev lo
ip -n $r3 addr add 3.3.3.3/32 dev lo

cat > "$work/r2.conf" <<'CONF'
hostname R2
!
router bgp 100
 neighbor 192.168.2.2 remote-as 200
 neighbor 192.168.2.2 description R3 over the seed's EBGP link
 neighbor 192.168.2.2 timers connect 5
!
end
CONF
cat > "$work/r3.bird.conf" <<'CONF'
router id 3.3.3.3;
protocol device {}
protocol bgp r2 {
	local 192.168.2.2 as 200;
	neighbor 192.168.2.1 as 100;
	ipv4 { import all; export none; };
}
CONF

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
wait_established() { # $1 = socket, $2 = neighbour
	for _ in $(seq 1 100); do
		if "$build/ternc" -s "$1" show ip bgp summary json 2>/dev/null | grep -q '"state":"Established"'; then
			return 0
		fi
		sleep 0.2
	done
	echo "the session did not come up" >&2
	return 1
}

say "R2 (Tern, AS 100) starts BGP first; R3 (BIRD 2, AS 200) a second later"
ip netns exec $r2 "$build/ternd" -f "$work/r2.conf" -s "$work/r2.sock" 2>"$work/r2.log" &
pids+=($!)
sleep 1
ip netns exec $r3 bird -f -c "$work/r3.bird.conf" -s "$work/r3.bird.ctl" -P "$work/r3.pid" 2>"$work/r3.log" &
pids+=($!)
printf 'waiting for the session'
wait_established "$work/r2.sock" 192.168.2.2
printf ' ... Established\n'

say "R2# show ip bgp summary"
"$build/ternc" -s "$work/r2.sock" show ip bgp summary
say "R2# show bgp neighbors 192.168.2.2 messages   (the seed's ladder)"
"$build/ternc" -s "$work/r2.sock" show bgp neighbors 192.168.2.2 messages
say "R2# show ip bgp neighbors 192.168.2.2"
"$build/ternc" -s "$work/r2.sock" show ip bgp neighbors 192.168.2.2
say "R3 (BIRD): birdc show protocols all r2"
birdc -s "$work/r3.bird.ctl" show protocols all r2 | sed -n '1,12p'

say "R2(config-router)# neighbor 192.168.2.2 shutdown message maintenance: the seed's §4 NOTIFICATION"
"$build/ternc" -s "$work/r2.sock" -c "configure terminal" -c "router bgp 100" \
	-c "neighbor 192.168.2.2 shutdown message maintenance" -c "end"
sleep 1
"$build/ternc" -s "$work/r2.sock" show bgp neighbors 192.168.2.2 messages | tail -n 3
birdc -s "$work/r3.bird.ctl" show protocols all r2 | grep -E 'BGP state|Last error|Message' || true
say "done: namespaces removed"
