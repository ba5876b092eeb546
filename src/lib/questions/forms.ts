/** Each type's answer form, `<type>/Form.svelte`, loaded on first use (see components.ts). */
import type { Component } from 'svelte';
import { componentsByType, type FormExports, type FormProps } from './components';

const forms = componentsByType(
	import.meta.glob<{ default: Component<FormProps, FormExports> }>('./*/Form.svelte'),
	'Form'
);

/** Loads the answer form of the question's type. */
export const loadForm = forms.load;

/** The answer form of the question's type, once loaded. */
export const formOf = forms.current;
