// The history lives in this browser's storage only, so the page renders in the browser.
export const ssr = false;
export const prerender = false;
