/**
 * IAM password credentials in a region with two projects, the cluster in the second: the token is
 * scoped to the configured project by id (scoped by the region's name it would be the main
 * project's, and CCE refuses it on the other project's paths). Real HTTP to the emulator's IAM and
 * CCE.
 */
import { startEmulator, type RunningEmulator, TWO_PROJECT_HUAWEI_ACCOUNT } from "@upgrade-guard/emulator";
import { createCceClient } from "../../src/clients/cce/client";

const ACCOUNT = TWO_PROJECT_HUAWEI_ACCOUNT;
const SECOND = ACCOUNT.projects[1]!.id;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({
    scenario: {
      name: "password-second-project",
      accounts: { huawei: [ACCOUNT] },
      clusters: [
        {
          cloud: "cce",
          name: "in-second",
          account: ACCOUNT.name,
          projectId: SECOND,
          version: "v1.29.5-r0",
          targetVersions: ["v1.30"],
        },
      ],
    },
  });
});
afterAll(async () => {
  await emulator?.close();
});

it("reads a cluster of the region's second project with a token scoped to that project", async () => {
  const cluster = emulator.control.clusters().find((c) => c.name === "in-second");
  const client = createCceClient({
    region: "cn-north-4",
    projectId: SECOND,
    userName: ACCOUNT.userName,
    password: ACCOUNT.password,
    domainName: ACCOUNT.domainName,
    endpoint: emulator.url,
    iamEndpoint: emulator.url,
    env: {},
  });
  try {
    const shown = await client.showCluster({ clusterId: cluster!.id });
    expect(shown.spec.version).toBe("v1.29.5-r0");
    const [login] = emulator.control.requests().filter((r) => r.service === "iam");
    expect(login).toBeDefined();
  } finally {
    await client.close();
  }
});
