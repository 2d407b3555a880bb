#!/usr/bin/env bash
# Starts a single-node SLURM (munged, slurmctld, slurmd) on this machine for the SLURM tests, idempotently:
# run it again and it starts only what is not running, rewrites the configuration only when it changed,
# and returns the node to service if a test left it DOWN. State lives under the directory given
# (default $CCP4I2_SLURM_STATE or /tmp/ccp4i2-slurm). Needs root and Debian's slurm-wlm and munge.
# Usage: .ci/slurm-up.sh [STATE_DIR]      .ci/slurm-up.sh --stop [STATE_DIR]
set -euo pipefail

stop=0
if [ "${1:-}" = "--stop" ]; then stop=1; shift; fi
D=${1:-${CCP4I2_SLURM_STATE:-/tmp/ccp4i2-slurm}}
mkdir -p "$D"/ctld "$D"/d "$D"/log
D=$(cd "$D" && pwd)
H=$(hostname -s)
CONF=/etc/slurm/slurm.conf

# A daemon is running when its pid file names a live (not zombie) process with the expected name.
alive() { # name pidfile
  local pid stat
  [ -s "$2" ] || return 1
  pid=$(tr -dc '0-9' <"$2")
  [ -n "$pid" ] && [ "$pid" -gt 1 ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}
stop_daemon() { # name pidfile
  local pid i
  alive "$1" "$2" || return 0
  pid=$(tr -dc '0-9' <"$2")
  kill "$pid"
  for i in $(seq 1 50); do alive "$1" "$2" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

if [ "$stop" = 1 ]; then
  stop_daemon slurmd "$D/slurmd.pid"
  stop_daemon slurmctld "$D/slurmctld.pid"
  exit 0
fi

command -v slurmctld >/dev/null || { echo "slurm-up: slurm-wlm is not installed" >&2; exit 1; }
grep -qE "[[:space:]]$H([[:space:]]|\$)" /etc/hosts || echo "127.0.0.1 $H" >>/etc/hosts

# munge: the key the package's postinst made (or a new one), and the daemon.
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
if ! munge -n </dev/null >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
fi

# The node line is this machine's own memory (slurmd -C), so a CI machine with other memory is not
# drained; its CPUs are 8 whatever the machine has (config_overrides): the test jobs mostly sleep, and
# several test runs share the one node.
mem=$(slurmd -C | head -1 | grep -o 'RealMemory=[0-9]*')
node="NodeName=$H CPUs=8 $mem"
new=$(mktemp)
cat >"$new" <<CONF
# Written by ccp4i2-ts .ci/slurm-up.sh: a single-node cluster for the SLURM tests.
ClusterName=ccp4i2test
SlurmctldHost=$H
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$D/ctld
SlurmdSpoolDir=$D/d
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
MailProg=/bin/true
# Tests cancel and time out jobs: 5 s from SIGTERM to SIGKILL instead of 30.
KillWait=5
# Start a job as soon as it is submitted (the default waits for the next 3 s scheduling tick).
SchedulerParameters=batch_sched_delay=0
EnforcePartLimits=ALL
$node State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
PartitionName=short Nodes=$H MaxTime=1 State=UP
CONF
changed=0
if ! cmp -s "$new" "$CONF"; then
  mkdir -p /etc/slurm
  mv "$new" "$CONF"
  chmod 0644 "$CONF"
  changed=1
else
  rm -f "$new"
fi

if [ "$changed" = 1 ]; then
  stop_daemon slurmd "$D/slurmd.pid"
  stop_daemon slurmctld "$D/slurmctld.pid"
fi
alive slurmctld "$D/slurmctld.pid" || /usr/sbin/slurmctld
alive slurmd "$D/slurmd.pid" || /usr/sbin/slurmd

state=""
for _ in $(seq 1 100); do
  state=$(sinfo -h -n "$H" -o %t 2>/dev/null | head -1 || true)
  case "$state" in
  idle | mix | alloc) break ;;
  down* | drain* | drng* | fail*) scontrol update nodename="$H" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.2
done
case "$state" in
idle | mix | alloc) echo "slurm-up: node $H $state (state in $D)" ;;
*)
  echo "slurm-up: node $H did not come up (state '${state}'); logs in $D/log" >&2
  exit 1
  ;;
esac
