-- VK Video's own host shows VK's videos, and the parameter Dzen's and RuTube's share buttons add
-- (`share_to`, `r`) names no other post: keys leave them out (src/domain/source-link.ts). A stored
-- key is rewritten as a new one would be read (the share parameter when it is the only one; a
-- comment's `#N` stays); of keys that become one, the earliest post takes it, and a key another post
-- has already is left as it was, so no two posts share a key.
CREATE TEMP TABLE `rekeyed` AS
SELECT `id`, 'vk.com' || substr(`link_key`, 11) AS `new_key` FROM `incidents`
WHERE `link_key` GLOB 'vkvideo.ru[/?#]*' OR `link_key` = 'vkvideo.ru'
UNION ALL
SELECT `id`, substr(`link_key`, 1, `at` - 1) || CASE WHEN instr(`rest`, '#') > 0 THEN substr(`rest`, instr(`rest`, '#')) ELSE '' END
FROM (
  SELECT `id`, `link_key`, `at`, substr(`link_key`, `at` + 1) AS `rest` FROM (
    SELECT `id`, `link_key`,
      CASE WHEN `link_key` GLOB 'dzen.ru/*' THEN instr(`link_key`, '?share_to=') ELSE instr(`link_key`, '?r=') END AS `at`
    FROM `incidents` WHERE `link_key` GLOB 'dzen.ru/*' OR `link_key` GLOB 'rutube.ru/*'
  )
)
WHERE `at` > 0 AND instr(`rest`, '&') = 0;
--> statement-breakpoint
UPDATE `incidents` SET `link_key` = (SELECT `r`.`new_key` FROM `rekeyed` `r` WHERE `r`.`id` = `incidents`.`id`)
WHERE `id` IN (
  SELECT `r`.`id` FROM `rekeyed` `r`
  WHERE NOT EXISTS (SELECT 1 FROM `incidents` `j` WHERE `j`.`link_key` = `r`.`new_key`)
    AND `r`.`id` = (SELECT min(`q`.`id`) FROM `rekeyed` `q` WHERE `q`.`new_key` = `r`.`new_key`)
);
--> statement-breakpoint
DROP TABLE `rekeyed`;
