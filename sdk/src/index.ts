/** @upgrade-guard/sdk: the Pulumi surface of upgrade-guard (resources and data functions come with issue 4). */
export {};
