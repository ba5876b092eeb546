// A plain page built with the app, which the service worker shows offline for the pages that
// need the server. No script: its links are ordinary page loads, answered from the cache.
export const prerender = true;
export const csr = false;
