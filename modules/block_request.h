// What the block_rq_complete tracepoint reports of a request, read from the
// raw tracepoint's arguments (struct request *rq, blk_status_t error,
// unsigned int nr_bytes), for the block modules' completion probes; and a
// request's disk, for any raw block tracepoint (request_disk_dev).
//
// Why a raw tracepoint: the kernel skips a tracepoint's program while any
// other tracepoint or kprobe program runs on the CPU, and completions come
// in interrupts, often while a start probe (this module's or another's)
// runs for the next request: their bytes and samples were lost. A raw
// tracepoint's program is skipped only while that same program runs.
//
// Device and sector are read as the tracepoint reports them: the disk's
// dev_t, and 0 for passthrough requests or an unset position.
#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>

struct completed_request {
    u32 dev;
    u64 sector;
    u32 nr_sector;
    u32 op;  // REQ_OP_READ, REQ_OP_WRITE...
};

// The disk's dev_t (the kernel's MKDEV of its major and first minor), as
// the block tracepoints report it; 0 when the request has no disk.
static __always_inline u32 request_disk_dev(struct request *rq) {
    struct request_queue *q = 0;
    struct gendisk *disk = 0;
    int major = 0, first_minor = 0;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
    bpf_probe_read_kernel(&q, sizeof(q), &rq->q);
    if (q)
        bpf_probe_read_kernel(&disk, sizeof(disk), &q->disk);
#else
    bpf_probe_read_kernel(&disk, sizeof(disk), &rq->rq_disk);
#endif
    if (disk) {
        bpf_probe_read_kernel(&major, sizeof(major), &disk->major);
        bpf_probe_read_kernel(&first_minor, sizeof(first_minor), &disk->first_minor);
    }
    return ((u32)major << 20) | (u32)first_minor;
}

static __always_inline struct completed_request
completed_request(struct bpf_raw_tracepoint_args *ctx) {
    struct request *rq = (struct request *)ctx->args[0];
    u64 sector = 0;
    u32 flags = 0;
    bpf_probe_read_kernel(&sector, sizeof(sector), &rq->__sector);
    bpf_probe_read_kernel(&flags, sizeof(flags), &rq->cmd_flags);
    u32 op = flags & 0xff;  // REQ_OP_MASK
    if (op == REQ_OP_DRV_IN || op == REQ_OP_DRV_OUT || sector == (u64)-1)
        sector = 0;
    struct completed_request done = {
        .dev = request_disk_dev(rq),
        .sector = sector,
        .nr_sector = (u32)ctx->args[2] >> 9,
        .op = op,
    };
    return done;
}
