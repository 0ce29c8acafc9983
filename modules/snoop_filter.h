// Which processes the snoop programs (opensnoop, statsnoop, mountsnoop,
// fsslower) report, on the thread making the call: the options that the
// agent turns into -D macros.
//   TARGET_PID  only this process (its tgid): pmdabpf's `pid`
//   TARGET_UID  only this user (real uid): pmdabpf's `uid`
//   FILTER_PIDS only the processes in filter_pids, which the agent fills
//               from the `process` option
#ifndef SNOOP_FILTER_H
#define SNOOP_FILTER_H

#ifdef FILTER_PIDS
BPF_HASH(filter_pids, u32, u8, 10240);
#endif

static __always_inline int snoop_followed(void) {
    u32 tgid = bpf_get_current_pid_tgid() >> 32;
#ifdef TARGET_PID
    if (tgid != TARGET_PID)
        return 0;
#endif
#ifdef TARGET_UID
    if ((u32)bpf_get_current_uid_gid() != TARGET_UID)
        return 0;
#endif
#ifdef FILTER_PIDS
    if (filter_pids.lookup(&tgid) == 0)
        return 0;
#endif
    return 1;
}

#endif
