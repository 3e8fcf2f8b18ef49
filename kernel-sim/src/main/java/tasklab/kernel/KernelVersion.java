package tasklab.kernel;

/** The kernel whose behaviour is simulated, chosen at boot (LINUX-SPEC §14 lists every difference). */
public enum KernelVersion {
    /** Linux 2.4.22. */
    LINUX_2_4("2.4.22"),
    /** Linux 2.6.22 (the last pre-CFS 2.6, with kthreadd). */
    LINUX_2_6("2.6.22");

    private final String release;

    KernelVersion(String release) { this.release = release; }

    /** The release string, as uname -r prints it. */
    public String release() { return release; }
    /** Whether this is 2.4. */
    public boolean is24() { return this == LINUX_2_4; }
    /** Whether this is 2.6. */
    public boolean is26() { return this == LINUX_2_6; }
}
