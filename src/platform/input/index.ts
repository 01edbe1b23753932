/** The edge rule for hostile input: text, JSON depth, numbers (input.plugin.ts says where each is checked). */

export { type InputRules, inputPlugin, parseJsonBody } from './input.plugin.ts';
export { cleanValue, type Fault, MAX_JSON_DEPTH, scanDepth } from './json.ts';
export { isRefusedItem, RefusedItem, refusedInput } from './refusal.ts';
export { isCleanText, nfc, showPath, textFault } from './text.ts';
