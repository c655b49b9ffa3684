/**
 * Emulated accounts. The defaults are part of the emulator's contract (README "Accounts"): tools and
 * examples hard-code them, so they never change.
 */
import { hexId } from "../util/ids";

export interface HuaweiProject {
  readonly id: string;
  readonly region: string;
}

export interface HuaweiAccount {
  readonly name: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly projects: readonly HuaweiProject[];
  readonly domainName: string;
  readonly domainId: string;
  readonly userName: string;
  readonly userId: string;
  readonly password: string;
}

export interface AlibabaAccount {
  readonly name: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly region: string;
  /** The account uid (used in ACK `meta_data`). */
  readonly uid: string;
}

export const DEFAULT_HUAWEI_ACCOUNT: HuaweiAccount = {
  name: "default",
  accessKey: "UGEMU-HW-AK",
  secretKey: "ugemu-hw-sk",
  projects: [{ id: "ugemuproject0000000000000000000a", region: "cn-north-4" }],
  domainName: "ugemu-domain",
  domainId: hexId("huawei-domain:ugemu-domain"),
  userName: "ugemu-user",
  userId: hexId("huawei-user:ugemu-user"),
  password: "ugemu-password",
};

export const DEFAULT_ALIBABA_ACCOUNT: AlibabaAccount = {
  name: "default",
  accessKeyId: "UGEMU-ALI-AK",
  accessKeySecret: "ugemu-ali-sk",
  region: "cn-hangzhou",
  uid: "1000000000000001",
};

/** Lookup tables over every known account. */
export class AccountBook {
  readonly huawei: readonly HuaweiAccount[];
  readonly alibaba: readonly AlibabaAccount[];
  private readonly huaweiByKey = new Map<string, HuaweiAccount>();
  private readonly alibabaByKey = new Map<string, AlibabaAccount>();
  private readonly huaweiByProject = new Map<string, { account: HuaweiAccount; project: HuaweiProject }>();

  constructor(huawei: readonly HuaweiAccount[], alibaba: readonly AlibabaAccount[]) {
    this.huawei = huawei;
    this.alibaba = alibaba;
    for (const account of huawei) {
      this.huaweiByKey.set(account.accessKey, account);
      for (const project of account.projects) this.huaweiByProject.set(project.id, { account, project });
    }
    for (const account of alibaba) this.alibabaByKey.set(account.accessKeyId, account);
  }

  huaweiByAccessKey(accessKey: string): HuaweiAccount | undefined {
    return this.huaweiByKey.get(accessKey);
  }

  alibabaByAccessKey(accessKeyId: string): AlibabaAccount | undefined {
    return this.alibabaByKey.get(accessKeyId);
  }

  huaweiProject(projectId: string): { account: HuaweiAccount; project: HuaweiProject } | undefined {
    return this.huaweiByProject.get(projectId);
  }

  huaweiByName(name: string): HuaweiAccount | undefined {
    return this.huawei.find((a) => a.name === name);
  }

  alibabaByName(name: string): AlibabaAccount | undefined {
    return this.alibaba.find((a) => a.name === name);
  }

  /** Secret values, so logs and the request log can mask them. */
  secrets(): string[] {
    return [
      ...this.huawei.flatMap((a) => [a.secretKey, a.password]),
      ...this.alibaba.map((a) => a.accessKeySecret),
    ];
  }
}
