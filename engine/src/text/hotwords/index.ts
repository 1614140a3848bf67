/** Hotwords: lists, context-graph biasing and text post-correction. */
export { ContextGraph, ROOT_STATE, type ContextGraphOptions, type ContextPhrase, type ContextState, type ContextStep } from './context-graph.ts';
export { applyReplacementsToTokens, correctHomophones, pinyinSimilarity, DEFAULT_HOMOPHONE_THRESHOLD, type CorrectHomophonesOptions, type TextReplacement } from './correct.ts';
export {
  emptyHotwordList,
  effectiveWeight,
  mergeHotwordLists,
  parseHotwords,
  MAX_HOTWORD_LENGTH,
  MAX_HOTWORD_WEIGHT,
  type Hotword,
  type HotwordFormat,
  type HotwordList,
  type HotwordReplacement,
} from './list.ts';
export {
  compileHotwords,
  DEFAULT_HOTWORD_SCORE,
  HotwordTokenizer,
  type CompiledHotwords,
  type CompileHotwordsOptions,
  type HotwordSymbols,
  type TokenizedHotword,
  type UntokenizableHotword,
} from './tokenize.ts';
export { parseHotwordScore, readHotwordsArgument } from './source.ts';
