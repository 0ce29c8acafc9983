// What mountsnoop.bpf sends for each mount(), umount2(), fsopen(),
// fsconfig(), fsmount() or move_mount() that returned, as mountsnoop.cc
// reads it: one layout for both halves, in C that compiles as the
// program's BCC C (with kernel headers or from BTF alone) and as C++.
// Too large for the BPF stack: the program fills it in a per-CPU array.
#pragma once

#include <linux/types.h>

#define MOUNTSNOOP_COMM_LEN 16    // TASK_COMM_LEN
#define MOUNTSNOOP_FS_LEN 64      // a file system type's name
#define MOUNTSNOOP_PATH_LEN 4096  // PATH_MAX
#define MOUNTSNOOP_DATA_LEN 512   // mount data, fsconfig values

enum mountsnoop_op {
    MOUNTSNOOP_MOUNT = 1,
    MOUNTSNOOP_UMOUNT,
    MOUNTSNOOP_FSOPEN,
    MOUNTSNOOP_FSCONFIG,
    MOUNTSNOOP_FSMOUNT,
    MOUNTSNOOP_MOVE_MOUNT,
};

// Which call's arguments each field holds is in its comment; a field the
// call lacks is 0 or empty.
struct mountsnoop_event {
    __u64 delta_ns;  // how long the call took
    __u64 flags;     // mount, umount, fsopen, fsmount, move_mount flags
    __u32 pid;       // tgid
    __u32 tid;
    __u32 mnt_ns;    // the caller's mount namespace (inode number)
    __s32 ret;       // what the call returned: a negative errno when it failed
    __u32 op;        // enum mountsnoop_op
    __s32 fd;        // fsconfig fd, fsmount fs_fd, move_mount from_dfd
    __s32 to_fd;     // move_mount to_dfd
    __u32 cmd;       // fsconfig cmd, fsmount attr_flags
    __s32 aux;       // fsconfig aux
    __u32 pad;
    char comm[MOUNTSNOOP_COMM_LEN];
    char fs[MOUNTSNOOP_FS_LEN];          // mount type, fsopen fs name
    char source[MOUNTSNOOP_PATH_LEN];    // mount source, move_mount from, fsconfig key
    char target[MOUNTSNOOP_PATH_LEN];    // mount and umount target, move_mount to
    char data[MOUNTSNOOP_DATA_LEN];      // mount data, fsconfig value (strings, paths)
};
