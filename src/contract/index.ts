/**
 * The contract suite: every rule of the Excel API behaviour Plan Ledger relies on, in the order the self-test runs
 * them. test/contract/ runs them on the offline host; the self-test page runs them there too and inside Excel.
 */
import type { Rule } from "./runner";
import { DIFFERENCE_RULES } from "./differences";
import { CORE_RULES } from "./suite";

export const CONTRACT_RULES: readonly Rule[] = [...CORE_RULES, ...DIFFERENCE_RULES];

export { runContract, runPrefix, runRule, type ContractHost, type Rule, type RuleResult } from "./runner";
