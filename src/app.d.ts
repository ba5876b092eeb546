// See https://svelte.dev/docs/kit/types#app.d.ts
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
