package tasklab.jupyter;

import tasklab.lab.Sweep;
import tasklab.lab.SweepProgress;

/**
 * Shows every {@link Sweep} of the simulator's lab API as this kernel's progress bar: kernel-sim
 * knows only its {@link SweepProgress} interface; the kernel installs this at start-up. A sweep
 * reports on the thread that runs the cell, so the bar updates as the cell's own output.
 */
final class SweepProgressBar implements SweepProgress {
    private final String label;
    private Progress bar;

    private SweepProgressBar(String label) { this.label = label; }

    /** Makes every sweep without its own reporter draw a bar under the cell that runs it. */
    static void install() {
        Sweep.setDefaultProgress(SweepProgressBar::new);
    }

    @Override public void started(int total) {
        bar = Notebook.progress(label, total);
    }

    @Override public void finished(int done, int total) {
        if (bar == null) bar = Notebook.progress(label, total);
        bar.update(done);
    }
}
