// Counters in one row per possible CPU of an array the agent maps into its
// memory (BPF_F_MMAPABLE) and reads with a copy, without a system call. A
// per-CPU array would have the kernel copy every slot of every CPU at each
// fetch. Each CPU adds to its own row, so counting does not bounce a cache
// line between CPUs; the agent sums the rows (bpf/maps.h, u64_slots).
//
// The agent defines POSSIBLE_CPUS (its count of possible CPUs) for every
// program.
#ifndef CPU_ROWS_H
#define CPU_ROWS_H

#define BPF_CPU_ROWS(name, slots) \
    BPF_F_TABLE("array", u32, u64, name, POSSIBLE_CPUS * (slots), BPF_F_MMAPABLE)

// Where `slot` of the running CPU's row of `slots` lies in the array; past
// its end (a lookup that fails) for a slot or CPU out of range.
static __always_inline u32 cpu_row_index(u32 slots, u32 slot) {
    u32 cpu = bpf_get_smp_processor_id();
    if (cpu >= POSSIBLE_CPUS || slot >= slots)
        return POSSIBLE_CPUS * slots;
    return cpu * slots + slot;
}

#endif
