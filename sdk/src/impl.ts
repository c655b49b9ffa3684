/**
 * `@upgrade-guard/sdk/impl`: the implementation module the dynamic-provider shims load by name at
 * call time. It re-exports `@upgrade-guard/provider/impl` from the package the Pulumi program
 * depends on directly, so the shims resolve it from the program directory even when npm nests the
 * provider package under the SDK.
 */
export {
  configure,
  dispatch,
  functions,
  impl,
  resources,
  type ResourceName,
  type ShimGroup,
} from "@upgrade-guard/provider/impl";
