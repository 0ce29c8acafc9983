// Which processes the snoop programs (opensnoop, statsnoop, mountsnoop,
// fsslower) report, by the options the agent turns into -D macros:
//   TARGET_PID  only this process (its tgid): pmdabpf's `pid`
//   TARGET_UID  only this user (real uid): pmdabpf's `uid`
// The `process` option's filter_pids map (FILTER_PIDS) is each program's
// own: BCC rewrites map calls in the program's file only, not in headers.
#ifndef SNOOP_FILTER_H
#define SNOOP_FILTER_H

static __always_inline int snoop_ids_followed(u32 tgid) {
#ifdef TARGET_PID
    if (tgid != TARGET_PID)
        return 0;
#endif
#ifdef TARGET_UID
    if ((u32)bpf_get_current_uid_gid() != TARGET_UID)
        return 0;
#endif
    return 1;
}

#endif
