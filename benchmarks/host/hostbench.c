/*
 * hostbench: the host-kernel side of the tasklab performance comparison (issue 6).
 *
 * It measures, on the real Linux kernel, the three operations the simulator's JMH
 * benchmarks measure in simulation, so the ratios can be computed from numbers
 * taken in the same run on the same machine:
 *
 *   ctxswitch  two tasks handing a 1-byte token back and forth (lmbench lat_ctx /
 *              lat_pipe style), both pinned to one CPU so every hand-off is a real
 *              context switch; variants: process (pipes), thread (pipes), thread-futex.
 *   fork       fork() of a process that has P private anonymous pages mapped and dirty:
 *              the kernel copies P PTEs and write-protects them (copy_page_range).
 *   cow        the write fault on each of P pages shared copy-on-write after fork,
 *              minus the cost of the same write loop on pages that are already private.
 *
 * Output: one machine-readable line per repeat ("key=value" fields) on stdout, then one
 * "summary" line per measure with min/median/max. Nothing goes to stderr unless something
 * fails; failures print a perror()-style message and exit non-zero.
 *
 * Build: gcc -O2 -Wall -Wextra -o hostbench hostbench.c -pthread   (glibc, gcc >= 12)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SIZE_ASSUMED 4096UL /* the simulator models i386 4 KiB pages */
#define MAX_REPEATS 1000
#define WARMUP_ROUNDS 1000L      /* untimed hand-offs so both tasks are hot before timing */

static const char *prog = "hostbench";

/* ------------------------------------------------------------------ helpers */

static void die(const char *what)
{
    fprintf(stderr, "%s: ", prog);
    perror(what);
    exit(1);
}

static void fail(const char *msg)
{
    fprintf(stderr, "%s: %s\n", prog, msg);
    exit(1);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        die("clock_gettime(CLOCK_MONOTONIC)");
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Voluntary + involuntary context switches of `who` (RUSAGE_SELF / RUSAGE_THREAD). */
static long ctx_switches(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) != 0)
        die("getrusage");
    return ru.ru_nvcsw + ru.ru_nivcsw;
}

static long minor_faults(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        die("getrusage");
    return ru.ru_minflt;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Prints "summary <label> measure=<name> n=.. min=.. median=.. max=..". */
static void summary(const char *label, const char *measure, const double *v, int n)
{
    double s[MAX_REPEATS];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double med = (n % 2) ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    printf("summary %s measure=%s n=%d min=%.1f median=%.1f max=%.1f\n",
           label, measure, n, s[0], med, s[n - 1]);
}

/* Parses a positive decimal integer option value; a "k" suffix multiplies by 1024. */
static long parse_count(const char *opt, const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end != s && (*end == 'k' || *end == 'K') && end[1] == '\0') {
        if (v > LONG_MAX / 1024)
            errno = ERANGE;
        v *= 1024;
        end++;
    }
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "%s: %s wants an integer in [%ld, %ld], got '%s'\n",
                prog, opt, min, max, s);
        exit(2);
    }
    return v;
}

/* ------------------------------------------------------------------ ctxswitch */

/*
 * Pins the calling thread to one CPU. Threads and children created afterwards inherit
 * the mask, so both ends of the hand-off share the CPU: when one blocks in read() (or
 * FUTEX_WAIT) the only runnable task is the other, and the kernel must switch to it.
 * Without pinning, the two would sit on two CPUs and hand-offs would be wake-ups of an
 * idle CPU (IPI + idle exit), a different and much noisier cost.
 */
static int pin_to_one_cpu(int cpu, cpu_set_t *saved)
{
    if (sched_getaffinity(0, sizeof *saved, saved) != 0)
        die("sched_getaffinity");
    if (cpu < 0) { /* default: the first CPU we are allowed on */
        for (int c = 0; c < CPU_SETSIZE; c++)
            if (CPU_ISSET(c, saved)) { cpu = c; break; }
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        char what[64];
        snprintf(what, sizeof what, "sched_setaffinity(cpu %d)", cpu);
        die(what);
    }
    return cpu;
}

static void xwrite1(int fd)
{
    char c = 'x';
    if (write(fd, &c, 1) != 1)
        die("write(pipe)");
}

static void xread1(int fd)
{
    char c;
    ssize_t r = read(fd, &c, 1);
    if (r != 1) {
        if (r == 0)
            fail("read(pipe): peer closed the pipe early");
        die("read(pipe)");
    }
}

/* The passive end: wait for the token, send it back. Counts its own switches over the
 * timed rounds (RUSAGE_THREAD is per-thread, so this works for a thread or a process). */
static long pipe_peer(int rfd, int wfd, long rounds)
{
    for (long i = 0; i < WARMUP_ROUNDS; i++) { xread1(rfd); xwrite1(wfd); }
    long c0 = ctx_switches(RUSAGE_THREAD);
    for (long i = 0; i < rounds; i++) { xread1(rfd); xwrite1(wfd); }
    return ctx_switches(RUSAGE_THREAD) - c0;
}

/* The active end: send the token, wait for it to come back; returns the timed ns. */
static int64_t pipe_driver(int wfd, int rfd, long rounds, long *switches)
{
    for (long i = 0; i < WARMUP_ROUNDS; i++) { xwrite1(wfd); xread1(rfd); }
    long c0 = ctx_switches(RUSAGE_THREAD);
    int64_t t0 = now_ns();
    for (long i = 0; i < rounds; i++) { xwrite1(wfd); xread1(rfd); }
    int64_t t1 = now_ns();
    *switches = ctx_switches(RUSAGE_THREAD) - c0;
    return t1 - t0;
}

struct pipe_peer_arg { int rfd, wfd; long rounds, switches; };

static void *pipe_peer_thread(void *p)
{
    struct pipe_peer_arg *a = p;
    a->switches = pipe_peer(a->rfd, a->wfd, a->rounds);
    return NULL;
}

/* One repeat of the two-process or two-thread pipe hand-off. Returns elapsed ns and the
 * switches both tasks observed (for the sanity figure csw_per_handoff). */
static int64_t ctx_pipe_once(int use_thread, long rounds, long *switches)
{
    int to_peer[2], to_driver[2];
    if (pipe(to_peer) != 0 || pipe(to_driver) != 0)
        die("pipe");
    long drv_sw = 0, peer_sw = 0;
    int64_t ns;

    if (use_thread) {
        struct pipe_peer_arg a = { to_peer[0], to_driver[1], rounds, 0 };
        pthread_t th;
        int e = pthread_create(&th, NULL, pipe_peer_thread, &a);
        if (e != 0) { errno = e; die("pthread_create"); }
        ns = pipe_driver(to_peer[1], to_driver[0], rounds, &drv_sw);
        if ((e = pthread_join(th, NULL)) != 0) { errno = e; die("pthread_join"); }
        peer_sw = a.switches;
    } else {
        fflush(stdout); /* the child must not inherit and re-flush buffered output */
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            close(to_peer[1]);
            close(to_driver[0]);
            long sw = pipe_peer(to_peer[0], to_driver[1], rounds);
            /* Report the child's switch count to the parent through the same pipe. */
            if (write(to_driver[1], &sw, sizeof sw) != (ssize_t)sizeof sw)
                _exit(1);
            _exit(0);
        }
        close(to_peer[0]);
        close(to_driver[1]);
        to_peer[0] = to_driver[1] = -1;
        ns = pipe_driver(to_peer[1], to_driver[0], rounds, &drv_sw);
        if (read(to_driver[0], &peer_sw, sizeof peer_sw) != (ssize_t)sizeof peer_sw)
            fail("could not read the child's switch count");
        int st;
        if (waitpid(pid, &st, 0) < 0)
            die("waitpid");
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            fail("ctxswitch child failed");
    }
    for (int i = 0; i < 2; i++) {
        if (to_peer[i] >= 0) close(to_peer[i]);
        if (to_driver[i] >= 0) close(to_driver[i]);
    }
    *switches = drv_sw + peer_sw;
    return ns;
}

/* Futex hand-off between two threads: the lightest blocking hand-off Linux offers, so it
 * isolates the scheduler's switch from pipe bookkeeping. `turn` says who may run. */
static _Atomic int turn;

static long futex_op(_Atomic int *addr, int op, int val)
{
    return syscall(SYS_futex, (int *)addr, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

static void wait_for_turn(int me)
{
    int v;
    while ((v = atomic_load(&turn)) != me)
        if (futex_op(&turn, FUTEX_WAIT, v) != 0 && errno != EAGAIN && errno != EINTR)
            die("futex(FUTEX_WAIT)");
}

static void give_turn(int to)
{
    atomic_store(&turn, to);
    if (futex_op(&turn, FUTEX_WAKE, 1) < 0)
        die("futex(FUTEX_WAKE)");
}

struct futex_peer_arg { long rounds, switches; };

static void *futex_peer_thread(void *p)
{
    struct futex_peer_arg *a = p;
    for (long i = 0; i < WARMUP_ROUNDS; i++) { wait_for_turn(1); give_turn(0); }
    long c0 = ctx_switches(RUSAGE_THREAD);
    for (long i = 0; i < a->rounds; i++) { wait_for_turn(1); give_turn(0); }
    a->switches = ctx_switches(RUSAGE_THREAD) - c0;
    return NULL;
}

static int64_t ctx_futex_once(long rounds, long *switches)
{
    atomic_store(&turn, 0);
    struct futex_peer_arg a = { rounds, 0 };
    pthread_t th;
    int e = pthread_create(&th, NULL, futex_peer_thread, &a);
    if (e != 0) { errno = e; die("pthread_create"); }
    for (long i = 0; i < WARMUP_ROUNDS; i++) { give_turn(1); wait_for_turn(0); }
    long c0 = ctx_switches(RUSAGE_THREAD);
    int64_t t0 = now_ns();
    for (long i = 0; i < rounds; i++) { give_turn(1); wait_for_turn(0); }
    int64_t t1 = now_ns();
    long sw = ctx_switches(RUSAGE_THREAD) - c0;
    if ((e = pthread_join(th, NULL)) != 0) { errno = e; die("pthread_join"); }
    *switches = sw + a.switches;
    return t1 - t0;
}

static int cmd_ctxswitch(long rounds, int repeats, int cpu)
{
    static const char *variants[] = { "process", "thread", "thread-futex" };
    cpu_set_t saved;
    cpu = pin_to_one_cpu(cpu, &saved);
    for (int v = 0; v < 3; v++) {
        double rate[MAX_REPEATS];
        for (int r = 0; r < repeats; r++) {
            long sw;
            int64_t ns = v == 2 ? ctx_futex_once(rounds, &sw) : ctx_pipe_once(v == 1, rounds, &sw);
            /* A round trip is two hand-offs, hence two context switches. */
            rate[r] = 2.0 * (double)rounds / ((double)ns / 1e9);
            printf("ctxswitch variant=%s repeat=%d cpu=%d iterations=%ld elapsed_ns=%lld "
                   "switches_per_sec=%.1f ns_per_switch=%.1f csw_per_handoff=%.2f\n",
                   variants[v], r + 1, cpu, rounds, (long long)ns, rate[r],
                   (double)ns / (2.0 * (double)rounds), (double)sw / (2.0 * (double)rounds));
        }
        char label[64];
        snprintf(label, sizeof label, "ctxswitch variant=%s", variants[v]);
        summary(label, "switches_per_sec", rate, repeats);
    }
    if (sched_setaffinity(0, sizeof saved, &saved) != 0)
        die("sched_setaffinity(restore)");
    return 0;
}

/* ------------------------------------------------------------------ fork / cow */

/*
 * Maps P private anonymous pages and writes one byte to each, so every page has a
 * present, writable PTE backed by its own physical page - the state the simulator's
 * "mapped page" stands for. Transparent huge pages are switched off for the range:
 * with THP the kernel would map 2 MiB at a time and fork/COW would work per PMD (or per
 * mTHP folio), not per 4 KiB page, which is not what is being compared.
 */
static volatile char *map_touched(long pages)
{
    size_t len = (size_t)pages * PAGE_SIZE_ASSUMED;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap");
    if (madvise(p, len, MADV_NOHUGEPAGE) != 0)
        die("madvise(MADV_NOHUGEPAGE)");
    return (volatile char *)p;
}

/* One write per page. `volatile` keeps gcc -O2 from merging or dropping the stores. */
static void touch_pages(volatile char *p, long pages, char val)
{
    for (long i = 0; i < pages; i++)
        p[(size_t)i * PAGE_SIZE_ASSUMED] = val;
}

static void reap(pid_t pid, const char *what)
{
    int st;
    if (waitpid(pid, &st, 0) < 0)
        die("waitpid");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail(what);
}

static int cmd_fork(long pages, int repeats)
{
    if (getpagesize() != (int)PAGE_SIZE_ASSUMED)
        fail("this benchmark assumes 4 KiB pages");
    volatile char *mem = pages ? map_touched(pages) : NULL;
    double per_page[MAX_REPEATS], per_fork[MAX_REPEATS];
    for (int r = 0; r < repeats; r++) {
        /* Re-dirty every page before each fork: the previous fork left the parent's PTEs
         * write-protected, and a fork over already read-only PTEs would skip the
         * write-protect step, so every repeat must start from the same state. */
        touch_pages(mem, pages, (char)r);
        fflush(stdout);
        int64_t t0 = now_ns();
        pid_t pid = fork();
        if (pid == 0)
            _exit(0); /* the child's teardown happens outside the parent's timed region */
        int64_t t1 = now_ns();
        if (pid < 0)
            die("fork");
        reap(pid, "fork child did not exit cleanly");
        per_fork[r] = (double)(t1 - t0);
        per_page[r] = pages ? per_fork[r] / (double)pages : 0.0;
        printf("fork pages=%ld repeat=%d fork_ns=%lld ns_per_page=%.2f\n",
               pages, r + 1, (long long)(t1 - t0), per_page[r]);
    }
    char label[64];
    snprintf(label, sizeof label, "fork pages=%ld", pages);
    if (pages)
        summary(label, "ns_per_page", per_page, repeats);
    summary(label, "fork_ns", per_fork, repeats);
    if (mem && munmap((void *)mem, (size_t)pages * PAGE_SIZE_ASSUMED) != 0)
        die("munmap");
    return 0;
}

/*
 * COW fault cost. Per repeat: fork a child that keeps every page shared (it only blocks
 * on a pipe), then the parent writes one byte to each page - each write is a COW fault
 * (allocate a page, copy 4 KiB, install a writable PTE) because the page is still mapped
 * by the child. Then the parent runs the identical loop again, now on its own private
 * writable copies (no fault), and that loop time is subtracted: what remains is the
 * fault itself, without the loop, the store, or the TLB misses both loops pay.
 * The write is done in the parent so the kernel really must copy (if the child had
 * exited, the parent's page would be exclusive again and the fault would just reuse it).
 */
static int cmd_cow(long pages, int repeats)
{
    if (getpagesize() != (int)PAGE_SIZE_ASSUMED)
        fail("this benchmark assumes 4 KiB pages");
    volatile char *mem = map_touched(pages);
    touch_pages(mem, pages, 1);
    double fault[MAX_REPEATS];
    for (int r = 0; r < repeats; r++) {
        int hold[2];
        if (pipe(hold) != 0)
            die("pipe");
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) { /* keep the pages shared until the parent has written them all */
            char c;
            close(hold[1]);
            ssize_t n = read(hold[0], &c, 1);
            _exit(n == 0 ? 0 : 1);
        }
        close(hold[0]);

        long f0 = minor_faults();
        int64_t t0 = now_ns();
        touch_pages(mem, pages, (char)(r + 2)); /* COW faults */
        int64_t t1 = now_ns();
        long f1 = minor_faults();
        touch_pages(mem, pages, (char)(r + 3)); /* same loop, private pages: no fault */
        int64_t t2 = now_ns();
        long f2 = minor_faults();

        close(hold[1]); /* EOF releases the child */
        reap(pid, "cow child did not exit cleanly");

        double raw = (double)(t1 - t0) / (double)pages;
        double nofault = (double)(t2 - t1) / (double)pages;
        fault[r] = raw - nofault;
        /* faults_per_page should be 1.00 and nofault_faults 0: proof the loop faulted. */
        printf("cow pages=%ld repeat=%d ns_per_fault=%.2f raw_ns_per_page=%.2f "
               "nofault_ns_per_page=%.2f faults_per_page=%.2f nofault_faults=%ld\n",
               pages, r + 1, fault[r], raw, nofault,
               (double)(f1 - f0) / (double)pages, f2 - f1);
    }
    char label[64];
    snprintf(label, sizeof label, "cow pages=%ld", pages);
    summary(label, "ns_per_fault", fault, repeats);
    if (munmap((void *)mem, (size_t)pages * PAGE_SIZE_ASSUMED) != 0)
        die("munmap");
    return 0;
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
    fprintf(f,
        "usage: %s ctxswitch [--iterations N] [--repeats R] [--cpu C]\n"
        "       %s fork --pages P [--repeats R]     (P = 0 gives the fixed cost of fork)\n"
        "       %s cow  --pages P [--repeats R]\n"
        "Counts accept a k suffix (16k = 16384). Pages are 4 KiB. R <= %d.\n",
        prog, prog, prog, MAX_REPEATS);
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) { usage(stdout); return 0; }
    const char *cmd = argv[1];
    long iterations = 100000, pages = -1;
    int repeats = 5, cpu = -1;
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        if (i + 1 >= argc) {
            fprintf(stderr, "%s: unknown option or missing value: %s\n", prog, o);
            usage(stderr);
            return 2;
        }
        const char *v = argv[++i];
        if (!strcmp(o, "--iterations"))   iterations = parse_count(o, v, 1, 1000000000L);
        else if (!strcmp(o, "--repeats")) repeats = (int)parse_count(o, v, 1, MAX_REPEATS);
        else if (!strcmp(o, "--pages"))   pages = parse_count(o, v, 0, 16L * 1024 * 1024);
        else if (!strcmp(o, "--cpu"))     cpu = (int)parse_count(o, v, 0, CPU_SETSIZE - 1);
        else {
            fprintf(stderr, "%s: unknown option: %s\n", prog, o);
            usage(stderr);
            return 2;
        }
    }
    int rc;
    if (!strcmp(cmd, "ctxswitch")) {
        rc = cmd_ctxswitch(iterations, repeats, cpu);
    } else if (!strcmp(cmd, "fork") || !strcmp(cmd, "cow")) {
        if (pages < 0 || (pages == 0 && !strcmp(cmd, "cow"))) {
            fprintf(stderr, "%s: %s needs --pages P (P >= %d)\n", prog, cmd, cmd[0] == 'c');
            return 2;
        }
        rc = cmd[0] == 'f' ? cmd_fork(pages, repeats) : cmd_cow(pages, repeats);
    } else {
        fprintf(stderr, "%s: unknown sub-command: %s\n", prog, cmd);
        usage(stderr);
        return 2;
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        die("writing stdout");
    return rc;
}
