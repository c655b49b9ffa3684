/**
 * The Kubernetes version skew rule between a cluster's control plane and its nodes, which `evaluate`
 * applies to node pool upgrades (https://kubernetes.io/releases/version-skew-policy/#kubelet):
 *
 * - a kubelet must not be newer than kube-apiserver;
 * - it may be up to three minor versions older when kube-apiserver is 1.28 or newer, and up to two
 *   minor versions older before 1.28 (the allowance grew from two to three in Kubernetes 1.28).
 *
 * The rule compares minor versions only: patches and vendor suffixes (`-aliyun.1`) never skew.
 */
import { parseVersion } from "../internal/versions";

/** The kubelet allowance, stated once: minors behind kube-apiserver, and from which apiserver minor. */
export const KUBELET_VERSION_SKEW = {
  /** Minor versions a kubelet may lag kube-apiserver from `since` on. */
  minorsBehind: 3,
  /** Minor versions a kubelet may lag an older kube-apiserver. */
  minorsBehindBefore: 2,
  /** The kube-apiserver minor version (of Kubernetes 1) from which `minorsBehind` applies: 1.28. */
  sinceMinor: 28,
} as const;

/** How many minors a kubelet may lag a kube-apiserver of `controlPlane`; `undefined` when unreadable. */
export function allowedKubeletLag(controlPlane: string): number | undefined {
  const version = parseVersion(controlPlane);
  if (version === undefined) return undefined;
  return version.major > 1 || version.minor >= KUBELET_VERSION_SKEW.sinceMinor
    ? KUBELET_VERSION_SKEW.minorsBehind
    : KUBELET_VERSION_SKEW.minorsBehindBefore;
}

/** What is wrong with running nodes of `poolVersion` under a control plane of `controlPlane`. */
export type SkewProblem =
  | { readonly kind: "newer"; readonly controlPlane: string; readonly pool: string }
  | {
      readonly kind: "too-old";
      readonly controlPlane: string;
      readonly pool: string;
      readonly behind: number;
      readonly allowed: number;
    }
  | { readonly kind: "unreadable"; readonly controlPlane: string; readonly pool: string };

/** The skew problem of a pool version under a control-plane version, or `undefined` when it is allowed. */
export function kubeletSkewProblem(controlPlane: string, poolVersion: string): SkewProblem | undefined {
  const server = parseVersion(controlPlane);
  const kubelet = parseVersion(poolVersion);
  const allowed = allowedKubeletLag(controlPlane);
  if (server === undefined || kubelet === undefined || allowed === undefined)
    return { kind: "unreadable", controlPlane, pool: poolVersion };
  const minors = (v: { major: number; minor: number }) => v.major * 1000 + v.minor;
  const behind = minors(server) - minors(kubelet);
  if (behind < 0) return { kind: "newer", controlPlane, pool: poolVersion };
  if (behind > allowed) return { kind: "too-old", controlPlane, pool: poolVersion, behind, allowed };
  return undefined;
}
