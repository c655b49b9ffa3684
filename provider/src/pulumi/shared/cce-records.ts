/**
 * CCE tasks as upgrade-guard reports them (camelCase, ISO timestamps), written once for the data
 * functions and the resources' outputs. Absent vendor fields stay `undefined`; callers `compact`.
 */
import { type CceAddonCheckTask, type CceUpgradeWorkflow } from "../../clients/cce/schemas";

/** An add-on check task: ids, add-on, target, status and the risks as CCE lists them. */
export function addonTaskRecord(task: CceAddonCheckTask) {
  return {
    taskId: task.metadata.taskID,
    addonTemplateName: task.metadata.addonTemplateName,
    addonInstanceId: task.metadata.addonInstanceID,
    type: task.metadata.type,
    targetVersion: task.spec?.addonTargetVersion,
    status: task.status.status,
    message: task.status.message,
    createdAt: task.metadata.createTimeStamp,
    expiresAt: task.metadata.expireTimeStamp,
    risks: task.status.riskList.map((risk) => ({
      riskName: risk.riskName,
      level: risk.level,
      status: risk.status,
      message: risk.message,
    })),
  };
}

/** An upgrade workflow: id, phase (`Init` until CCE reports one), versions, times and its steps. */
export function workflowRecord(workflow: CceUpgradeWorkflow) {
  return {
    workflowId: workflow.metadata.uid,
    phase: workflow.status?.phase ?? "Init",
    clusterVersion: workflow.spec?.clusterVersion,
    targetVersion: workflow.spec?.targetVersion,
    createdAt: workflow.metadata.creationTimestamp,
    updatedAt: workflow.metadata.updateTimestamp,
    pointStatuses: (workflow.status?.pointStatuses ?? []).map((point) => ({
      taskType: point.taskType,
      taskId: point.taskID,
      status: point.status,
      startedAt: point.startTimeStamp,
      endedAt: point.endTimeStamp,
      expiresAt: point.expireTimeStamp,
    })),
  };
}
