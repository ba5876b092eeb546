// See https://svelte.dev/docs/kit/types#app.d.ts
// App.Platform.req: adapter-node's Node request (`event.platform` is absent under `vite dev`).
/// <reference types="@sveltejs/adapter-node" />
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Set by handleError when the database failed for a reason outside the request. */
			storageFault?: string;
		}
	}
}

export {};
