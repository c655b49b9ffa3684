// @API IAM POST /v3/auth/tokens
// @API IAM GET /v3/projects
/**
 * The slice of Huawei IAM that CCE clients need: password tokens (201, token in `X-Subject-Token`,
 * valid 24 h of virtual time) and the project lookup the official SDKs make when no project id is
 * configured.
 */
import { z } from "zod";
import { keystoneTime } from "../../util/time-format";
import { iamToken } from "../../util/ids";
import { validateBody } from "../../server/json-body";
import {
  type Reply,
  type RouteDefinition,
  type RouteRequest,
  type ServiceContext,
} from "../../server/router";
import { VendorError } from "../../server/vendor-errors";
import { type HuaweiAccount } from "../../auth/accounts";

export const TOKEN_VALIDITY_MS = 24 * 3_600_000;

const iamError = (status: number, code: string, message: string): VendorError =>
  new VendorError(status, "iam", code, message);

const nameOrId = z.looseObject({ name: z.string().optional(), id: z.string().optional() });

const tokenBody = z.looseObject({
  auth: z.looseObject({
    identity: z.looseObject({
      methods: z
        .array(z.string())
        .refine((m) => m.includes("password"), { message: 'must include "password"' }),
      password: z.looseObject({
        user: z.looseObject({
          name: z.string().min(1),
          password: z.string().min(1),
          domain: nameOrId,
        }),
      }),
    }),
    scope: z
      .looseObject({
        project: nameOrId.optional(),
        domain: nameOrId.optional(),
      })
      .optional(),
  }),
});

function createToken(request: RouteRequest, context: ServiceContext): Reply {
  const body = validateBody(tokenBody, request.body, (m) => iamError(400, "IAM.0001", m));
  const user = body.auth.identity.password.user;
  const account = context.accounts.huawei.find(
    (a) =>
      a.userName === user.name &&
      (user.domain.name === undefined || a.domainName === user.domain.name) &&
      (user.domain.id === undefined || a.domainId === user.domain.id),
  );
  if (account === undefined || account.password !== user.password) {
    throw iamError(401, "IAM.0101", "The username or password is wrong.");
  }
  const scope = body.auth.scope;
  let project: HuaweiAccount["projects"][number] | undefined;
  if (scope?.project !== undefined) {
    const wanted = scope.project;
    project = account.projects.find((p) =>
      wanted.id !== undefined ? p.id === wanted.id : p.region === wanted.name,
    );
    if (project === undefined)
      throw iamError(400, "IAM.0007", `project ${wanted.id ?? wanted.name ?? ""} not found`);
  }
  const token = iamToken();
  const issuedAt = context.now;
  const expiresAt = issuedAt + TOKEN_VALIDITY_MS;
  context.store.addToken({
    token,
    account: account.name,
    ...(project === undefined ? {} : { projectId: project.id }),
    issuedAt,
    expiresAt,
  });
  const domain = { id: account.domainId, name: account.domainName };
  const host = typeof request.headers["host"] === "string" ? request.headers["host"] : "127.0.0.1";
  const noCatalog = request.query.get("nocatalog") === "true";
  return {
    status: 201,
    headers: { "X-Subject-Token": token },
    body: {
      token: {
        expires_at: keystoneTime(expiresAt),
        issued_at: keystoneTime(issuedAt),
        methods: ["password"],
        ...(noCatalog
          ? {}
          : {
              catalog: [
                {
                  type: "cce",
                  id: "cce",
                  name: "cce",
                  endpoints: account.projects.map((p) => ({
                    id: `cce-${p.region}`,
                    interface: "public",
                    region: p.region,
                    region_id: p.region,
                    url: `http://${host}/api/v3/projects/${p.id}`,
                  })),
                },
              ],
            }),
        ...(project === undefined
          ? { domain }
          : { project: { id: project.id, name: project.region, domain } }),
        roles: [{ id: "0", name: "te_admin" }],
        user: { id: account.userId, name: account.userName, domain, password_expires_at: "" },
      },
    },
  };
}

function listProjects(request: RouteRequest, _context: ServiceContext): Reply {
  const principal = request.principal;
  if (principal.cloud !== "huawei") throw iamError(401, "IAM.0002", "authentication required");
  const name = request.query.get("name");
  const projects = principal.account.projects
    .filter((p) => name === null || p.region === name)
    .map((p) => ({
      id: p.id,
      name: p.region,
      domain_id: principal.account.domainId,
      parent_id: principal.account.domainId,
      enabled: true,
      is_domain: false,
      description: "",
    }));
  return { status: 200, body: { projects, links: { self: "/v3/projects", previous: null, next: null } } };
}

export const IAM_ROUTES: readonly RouteDefinition[] = [
  {
    service: "iam",
    operation: "KeystoneCreateUserTokenByPassword",
    method: "POST",
    path: "/v3/auth/tokens",
    auth: "none",
    handler: createToken,
  },
  {
    service: "iam",
    operation: "KeystoneListProjects",
    method: "GET",
    path: "/v3/projects",
    auth: "huawei",
    handler: listProjects,
  },
];
