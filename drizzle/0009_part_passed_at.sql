ALTER TABLE `assignments` ADD `part_passed_at` integer;--> statement-breakpoint
-- Parts that reached the lead before this version: when a curator passed them on, from the audit;
-- else (sent straight to the lead) when they were sent.
UPDATE `assignments` SET `part_passed_at` = coalesce((
  SELECT max(`e`.`at`) FROM `audit_events` `e`
  WHERE `e`.`entity` = 'incident' AND `e`.`entity_id` = CAST(`assignments`.`incident_id` AS TEXT)
    AND `e`.`action` = 'passOnPart'
    AND json_extract(`e`.`details`, '$.organizationId') = `assignments`.`organization_id`
), `part_sent_at`) WHERE `state` = 'part_passed';
