/**
 * A content pack after loading: the validated scenario, its article split into addressable
 * sections and paragraphs, and every quoted passage located in the text. This is what the pages,
 * the machine and the grader receive; it is plain data, safe to serialise to the browser.
 */
import type { ArticleFrontmatter, Question, ScenarioFile, Step } from './schema.ts';

/** One paragraph of the article, addressable by `id` (also its HTML anchor). */
export interface Paragraph {
	id: string;
	text: string;
}

/** A section under one `##` heading; the intro before the first heading has `heading: null`. */
export interface Section {
	id: string;
	heading: string | null;
	paragraphs: Paragraph[];
}

export interface Article extends Omit<ArticleFrontmatter, 'sha256'> {
	sections: Section[];
}

/** Where a quoted passage sits: character offsets into one paragraph's text. */
export interface Anchor {
	sectionId: string;
	paragraphId: string;
	start: number;
	end: number;
}

export interface Pack extends Omit<ScenarioFile, 'article'> {
	/** Changes whenever the scenario or the article changes; stored progress from another version is dropped. */
	version: string;
	article: Article;
	/** Every passage the pack quotes (evidence, key passages, evidence options, scenario passages), located. */
	anchors: Record<string, Anchor>;
}

export type { Question, Step };

const questionLists = new WeakMap<Pack['steps'], readonly Question[]>();

/** All questions of a pack, in the order the learner meets them (worked out once per pack). */
export function questionsOf(pack: Pick<Pack, 'steps'>): readonly Question[] {
	let questions = questionLists.get(pack.steps);
	if (!questions) {
		questions = pack.steps.flatMap((step) => step.questions);
		questionLists.set(pack.steps, questions);
	}
	return questions;
}

/** The step a question belongs to, by question id. */
export function stepOfQuestion(pack: Pick<Pack, 'steps'>, questionId: string): Step | undefined {
	return pack.steps.find((step) => step.questions.some((q) => q.id === questionId));
}
