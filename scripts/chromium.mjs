// The one place that says which Chromium the scripts drive and how: Debian's /usr/bin/chromium
// (scripts/bootstrap.sh installs it; CHROME_PATH points elsewhere), headless, no sandbox (CI runs
// as root), no GPU, /tmp instead of /dev/shm, and none of the browser's own network traffic.
export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

export const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
