/**
 * Which questions use each section of the article as evidence. The loader fails a pack with a
 * section no question draws on (the learner would never be sent to read it), and
 * `npm run content:check` prints the table.
 */
import type { Anchor, Section } from './pack.ts';

export interface SectionCoverage {
	sectionId: string;
	/** The section's heading, or null for the intro before the first heading. */
	heading: string | null;
	/** Ids of the questions whose evidence quotes this section, in pack order. */
	questionIds: string[];
}

/** For every section, in article order, the questions whose evidence lies in it. */
export function sectionCoverage(
	sections: readonly Section[],
	questions: readonly { id: string; evidence: readonly string[] }[],
	anchors: Readonly<Record<string, Anchor>>
): SectionCoverage[] {
	return sections.map((section) => ({
		sectionId: section.id,
		heading: section.heading,
		questionIds: questions
			.filter((q) => q.evidence.some((passage) => anchors[passage]?.sectionId === section.id))
			.map((q) => q.id)
	}));
}
