-- Telegram channel names ignore case: a post's key is lower-cased (src/domain/source-link.ts).
-- Of keys differing only in case, the earliest post takes the lower-cased one (the others keep
-- theirs, so no two posts share a key); an existing lower-cased one stays as it is.
UPDATE `incidents` SET `link_key` = lower(`link_key`)
WHERE `link_key` GLOB 't.me/*'
  AND `link_key` != lower(`link_key`)
  AND NOT EXISTS (SELECT 1 FROM `incidents` `j` WHERE `j`.`link_key` = lower(`incidents`.`link_key`))
  AND `id` = (SELECT min(`k`.`id`) FROM `incidents` `k` WHERE lower(`k`.`link_key`) = lower(`incidents`.`link_key`));
