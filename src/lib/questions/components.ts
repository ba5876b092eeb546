/**
 * The Svelte side of the registry: each type's answer form (`<type>/Form.svelte`) and projected
 * form (`<type>/Projected.svelte`), found by file name and loaded only when a question of that
 * type is shown, so no page's first load carries them. A type borrows another folder's forms by
 * naming it in its kind's `components` (evidence, multi, source and truefalse show as choices);
 * a type without a Projected.svelte (numeric) projects its instruction alone.
 * Kept apart from registry.ts because the content check imports the registry under plain Node.
 */
import type { Component } from 'svelte';
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

type Module<C> = { default: C };
type Modules<C> = Record<string, () => Promise<Module<C>>>;
const forms = import.meta.glob<Module<Component<FormProps, FormExports>>>('./*/Form.svelte');
const projections = import.meta.glob<Module<Component<ProjectedProps>>>('./*/Projected.svelte');

/**
 * Components loaded so far, by path: a question of a type already shown renders at once, and
 * what read the map before a load (in a $derived) reads it again after.
 */
const loaded = new SvelteMap<string, unknown>();

const pathOf = (question: PublicQuestion, file: string) =>
	`./${kindOf(question).components}/${file}.svelte`;

async function load<C>(modules: Modules<C>, path: string): Promise<C | undefined> {
	const loader = modules[path];
	if (!loader) return undefined;
	const component = (await loader()).default;
	if (!loaded.has(path)) loaded.set(path, component);
	return component;
}

/** The component once loaded, else undefined (and the load starts); reactive in a $derived. */
function current<C>(modules: Modules<C>, path: string): C | undefined {
	if (!loaded.has(path)) void load(modules, path);
	return loaded.get(path) as C | undefined;
}

/** Loads the answer form of the question's type. */
export function loadForm(question: PublicQuestion) {
	return load(forms, pathOf(question, 'Form'));
}

/** The answer form of the question's type, once loaded. */
export function formOf(question: PublicQuestion) {
	return current(forms, pathOf(question, 'Form'));
}

/** Whether the question's type shows anything on the projector beyond its instruction. */
export function projects(question: PublicQuestion): boolean {
	return pathOf(question, 'Projected') in projections;
}

/** Loads the projected form of the question's type, if it has one. */
export function loadProjection(question: PublicQuestion) {
	return load(projections, pathOf(question, 'Projected'));
}

/** The projected form of the question's type, once loaded; undefined for a type without one. */
export function projectionOf(question: PublicQuestion) {
	return current(projections, pathOf(question, 'Projected'));
}
