ALTER TABLE `assignments` ADD `returned_at` integer;--> statement-breakpoint
-- Posts returned before this version: the time of the organization's last return, from the audit.
UPDATE `assignments` SET `returned_at` = (
  SELECT max(`e`.`at`) FROM `audit_events` `e`
  WHERE `e`.`entity` = 'incident' AND `e`.`entity_id` = CAST(`assignments`.`incident_id` AS TEXT)
    AND `e`.`action` = 'return'
    AND json_extract(`e`.`details`, '$.organizationId') = `assignments`.`organization_id`
) WHERE `state` = 'returned';
