declare module 'virtual:causeway/packs' {
	import type { Pack } from '$lib/content/pack';
	/** Every content pack under content/, validated and grounded at build time. */
	export const packs: Pack[];
}
