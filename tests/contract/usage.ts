// What a TypeScript client writes against the types openapi-typescript generates from
// openapi.yaml (into claims-api.d.ts beside this file). It must compile with `tsc --noEmit`;
// each `@ts-expect-error` line must NOT compile, which proves the types are exact.
import type { components, operations, paths } from "./claims-api";

type Claim = components["schemas"]["Claim"];
type Problem = components["schemas"]["Problem"];
type ClaimPage =
  paths["/v1/claims"]["get"]["responses"][200]["content"]["application/json"];
type ClaimFilters = NonNullable<operations["listClaims"]["parameters"]["query"]>;

export function quoteLine(claim: Claim): string {
  const cue = claim.cue ?? "said";
  const via = claim.via ? ` (via ${claim.via.name})` : "";
  return `${claim.speaker.name} ${cue}: "${claim.text}" in ${claim.outlet.name}${via}`;
}

export function nextPageQuery(page: ClaimPage, filters: ClaimFilters): ClaimFilters | null {
  return page.next_cursor === null ? null : { ...filters, cursor: page.next_cursor };
}

export function whereInvalid(problem: Problem): string[] {
  return (problem.errors ?? []).map(
    (error) => `${error.pointer ?? error.parameter ?? "request"}: ${error.detail}`,
  );
}

export const khashanDirectQuotes: ClaimFilters = { speaker_id: 1, quote_type: "direct", limit: 10 };

// @ts-expect-error quote_type is an enum: "paraphrase" is not one of its values
export const unknownQuoteType: ClaimFilters = { quote_type: "paraphrase" };

// @ts-expect-error limit is an integer, not a string
export const limitAsText: ClaimFilters = { limit: "10" };

export function spanLength(claim: Claim): number {
  return claim.end - claim.start;
}

// @ts-expect-error a claim's text is a string, never null
export const nullText: Claim["text"] = null;

type ClaimCreate = components["schemas"]["ClaimCreate"];
type CreateClaimHeaders = NonNullable<operations["createClaim"]["parameters"]["header"]>;
type UpdateClaimHeaders = operations["updateClaim"]["parameters"]["header"];
type InvalidClaim =
  operations["createClaim"]["responses"][422]["content"]["application/problem+json"];

export const khashanOnIran: ClaimCreate = {
  article_id: 2,
  speaker_id: 1,
  quote_type: "indirect",
  cue: "told",
  text: "the recapture of Boukamal represents a major victory for regional power-broker and ally Iran",
};

export const retrySafely: CreateClaimHeaders = { "Idempotency-Key": "3b1f0c9e-claim-1" };

export function changeCue(etag: string): UpdateClaimHeaders {
  return { "If-Match": etag };
}

export function pointers(problem: InvalidClaim): string[] {
  return whereInvalid(problem);
}

// @ts-expect-error a claim's outlet is its article's: a create body has no outlet_id
export const withOutlet: ClaimCreate = { article_id: 2, speaker_id: 1, quote_type: "direct", outlet_id: 2 };

// @ts-expect-error a change needs If-Match
export const unconditional: UpdateClaimHeaders = {};
