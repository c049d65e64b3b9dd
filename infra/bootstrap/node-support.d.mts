export declare const OLDEST_RUNNABLE: readonly [number, number];
export declare const SUPPORTED: string;
export type NodeVerdict =
  | { readonly verdict: "ok" }
  | { readonly verdict: "warn"; readonly message: string }
  | { readonly verdict: "refuse"; readonly message: string; readonly hint: string };
export declare function judgeNode(version: string): NodeVerdict;
