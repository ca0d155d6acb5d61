// The host portal only loads the SDK; the tags in index.html do the rest.
import '@usage-analytics/elements';
