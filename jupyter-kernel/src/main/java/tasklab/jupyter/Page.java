package tasklab.jupyter;

/** Text for the front end's pager (execute_reply payload "page"), as %doc produces it. */
final class Page {
    final String text;

    Page(String text) {
        this.text = text;
    }
}
