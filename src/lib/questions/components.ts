/**
 * The Svelte side of the registry: each type's answer form (`<type>/Form.svelte`, see forms.ts),
 * found by file name and loaded only when a question of that type is shown, so no page's first
 * load carries them, and its projected form (`<type>/Projected.svelte`, see projections.ts). A
 * type borrows another folder's forms by naming it in its kind's `components` (evidence, multi,
 * source and truefalse show as choices); a type without a Projected.svelte (numeric) projects its
 * instruction alone.
 *
 * The forms and the projections are found in two modules, not one: SvelteKit puts the styles of
 * whatever a page imports dynamically (one level down) in the page's head, so a page that imports
 * the forms' finder loads every form's stylesheet up front. The presenter imports only the
 * projections'. Kept apart from registry.ts because the content check imports the registry under
 * plain Node.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { Source } from './kind';
import { kindOf, type PublicQuestion } from './registry';

/** The response in the shape of the question's `answer`, or what is still missing. */
export type Draft = { response: unknown } | { missing: string };

export interface FormProps<P = PublicQuestion> {
	/** The question as presented: no answer key, items in their starting order. */
	question: P;
	sources: readonly Source[];
	/** The form's legend: the kind's instruction. */
	instruction: string;
}
/** What QuestionForm asks of a mounted answer form: the draft so far. */
export interface FormExports {
	draft(): Draft;
}
export interface ProjectedProps<P = PublicQuestion> {
	question: P;
	sources: readonly Source[];
}

type Modules<C> = Record<string, () => Promise<{ default: C }>>;

/** Where the question type's `file`.svelte is, as `import.meta.glob` names it from this folder. */
export const componentPath = (question: PublicQuestion, file: string) =>
	`./${kindOf(question).components}/${file}.svelte`;

/**
 * One component file per type (`file`.svelte in the type's components folder), from `modules`
 * (an `import.meta.glob` of them): loaded on demand and kept once loaded.
 */
export function componentsByType<C>(modules: Modules<C>, file: string) {
	/**
	 * Components loaded so far, by path: a question of a type already shown renders at once, and
	 * what read the map before a load (in a $derived) reads it again after.
	 */
	const loaded = new SvelteMap<string, C>();
	const pathOf = (question: PublicQuestion) => componentPath(question, file);

	async function load(question: PublicQuestion): Promise<C | undefined> {
		const path = pathOf(question);
		const loader = modules[path];
		if (!loader) return undefined;
		const component = (await loader()).default;
		if (!loaded.has(path)) loaded.set(path, component);
		return component;
	}

	return {
		/** Loads the question type's component; undefined for a type without one. */
		load,
		/** The component once loaded, else undefined (and the load starts); reactive in a $derived. */
		current(question: PublicQuestion): C | undefined {
			const path = pathOf(question);
			if (!loaded.has(path)) void load(question);
			return loaded.get(path);
		},
		/** Whether the question's type has such a component. */
		has: (question: PublicQuestion) => pathOf(question) in modules
	};
}
