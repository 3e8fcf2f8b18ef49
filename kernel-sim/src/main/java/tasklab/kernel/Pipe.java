package tasklab.kernel;

import java.util.ArrayDeque;
import tasklab.machine.CostKind;
import tasklab.machine.Cpu;
import tasklab.machine.PhysMem;

/**
 * A pipe reduced to what lmbench's token ring needs: a count of unread bytes in a one-page buffer
 * and the readers sleeping on its wait queue. A read of an empty pipe sleeps (TASK_INTERRUPTIBLE)
 * until a write wakes it; a write never blocks (the ring holds one token). There are no file
 * descriptors: programs name a pipe by the number {@link Kernel#pipe()} returned.
 * Linux: fs/pipe.c pipe_read(), pipe_write(), pipe_wait(); kernel/sched.c wake_up_interruptible().
 */
final class Pipe {
    /** PIPE_BUF: the buffer is one page. */
    static final int PIPE_SIZE = 4096;

    final int id;
    /** The buffer's frame: its first line holds the bytes, its last line stands for the pipe inode (both touched per call). */
    final int bufferPfn;
    int bytes;
    final ArrayDeque<Task> readers = new ArrayDeque<>();
    long reads;
    long writes;

    Pipe(int id, int bufferPfn) {
        this.id = id;
        this.bufferPfn = bufferPfn;
    }

    /** The kernel's own footprint of a pipe call: the inode's line and the buffer's line, through the direct map's TLB entry and the caches. */
    void touch(tasklab.mm.MmCore mm, Cpu c) {
        long pa = (long) bufferPfn << 12;
        mm.kernelAccess(c, pa);
        mm.kernelAccess(c, pa + PIPE_SIZE - 32);
    }

    /**
     * pipe_read() of 4 bytes by {@code t}: returns true when it read, false when the pipe was empty
     * and t went to sleep on the wait queue (the caller retries the same read when t runs again,
     * without a second system-call entry, as pipe_wait() returns into pipe_read()'s loop).
     */
    boolean read(Kernel k, Task t, int cpu) {
        Cpu c = k.machine.cpu(cpu);
        touch(k.mm, c);
        if (bytes == 0) {
            t.state = TaskState.INTERRUPTIBLE;
            readers.addLast(t);
            k.sched.schedule(cpu);
            return false;
        }
        c.charge(CostKind.PIPE, c.cost().pipeRead());
        bytes -= Math.min(bytes, 4);
        reads++;
        return true;
    }

    /** pipe_write() of 4 bytes: the bytes go in, and every sleeping reader is woken (wake_up_interruptible). */
    void write(Kernel k, Task t, int cpu) {
        Cpu c = k.machine.cpu(cpu);
        touch(k.mm, c);
        c.charge(CostKind.PIPE, c.cost().pipeWrite());
        bytes = Math.min(PIPE_SIZE, bytes + 4);
        writes++;
        while (!readers.isEmpty()) {
            Task r = readers.pollFirst();
            c.charge(CostKind.PIPE, c.cost().wakeUp());
            if (r.state == TaskState.INTERRUPTIBLE && !r.hasExited()) k.sched.wakeUpProcess(r, cpu);
        }
    }

    /** A pipe's buffer frame, allocated as a kernel page (GFP_KERNEL). */
    static int allocBuffer(PhysMem mem) {
        return mem.allocPage(0);
    }
}
