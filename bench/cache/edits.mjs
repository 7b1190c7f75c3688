// The edits the cache benchmarks make to an article: one new sentence, worded differently each time (the same line
// added to several files would be a site template, which the second pass rightly removes at the cost of a second
// clustering). Shared by run.mjs and pair.mjs, so that both measure the same kind of change.
export const EDITS = [
  'An earlier version of this report misstated the name of the harbour authority.',
  'Correction: the meeting takes place on Thursday evening, not Wednesday.',
  'This story was updated with comments from the regional council spokesperson.',
  'Readers pointed out that the map shown with this article had the bridge in the wrong place.',
  'Editor’s note: figures from the annual audit were added after publication.',
];
