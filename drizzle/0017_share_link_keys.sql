-- VK Video's own host shows VK's videos, and the parameter Dzen's and RuTube's share buttons add
-- (`share_to`, `r`) names no other post: keys leave them out (src/domain/source-link.ts). Stored keys
-- are rewritten as a new one would be read, a post and the comments numbered under it (`#N`) together:
-- of posts whose keys become one, the earliest takes it, and a key another post has already (or has
-- comments under) is left as it was, so no two posts share a key.
CREATE TEMP TABLE `rekeyed` AS
SELECT `id`, `post`, `suffix`,
  CASE
    WHEN `post` = 'vkvideo.ru' OR `post` GLOB 'vkvideo.ru[/?]*' THEN 'vk.com' || substr(`post`, 11)
    WHEN `param` IS NOT NULL AND instr('&' || `query` || '&', '&' || `param` || '=') > 0 THEN
      `path` || (
        SELECT CASE WHEN `kept` = '' THEN '' ELSE '?' || `kept` END FROM (
          SELECT trim(substr(`w`, 1, `p`) || substr(substr(`w`, `p` + 1), instr(substr(`w`, `p` + 1), '&') + 1), '&') AS `kept`
          FROM (SELECT '&' || `query` || '&' AS `w`, instr('&' || `query` || '&', '&' || `param` || '=') AS `p`)
        )
      )
    ELSE `post`
  END AS `new_post`
FROM (
  SELECT `id`, `post`, `suffix`,
    CASE WHEN `post` GLOB 'dzen.ru/*' THEN 'share_to' WHEN `post` GLOB 'rutube.ru/*' THEN 'r' END AS `param`,
    CASE WHEN instr(`post`, '?') > 0 THEN substr(`post`, 1, instr(`post`, '?') - 1) ELSE `post` END AS `path`,
    CASE WHEN instr(`post`, '?') > 0 THEN substr(`post`, instr(`post`, '?') + 1) ELSE '' END AS `query`
  FROM (
    SELECT `id`,
      CASE WHEN instr(`link_key`, '#') > 0 THEN substr(`link_key`, 1, instr(`link_key`, '#') - 1) ELSE `link_key` END AS `post`,
      CASE WHEN instr(`link_key`, '#') > 0 THEN substr(`link_key`, instr(`link_key`, '#')) ELSE '' END AS `suffix`
    FROM `incidents`
    WHERE `link_key` GLOB 'vkvideo.ru*' OR `link_key` GLOB 'dzen.ru/*' OR `link_key` GLOB 'rutube.ru/*'
  )
);
--> statement-breakpoint
DELETE FROM `rekeyed` WHERE `new_post` = `post`;
--> statement-breakpoint
UPDATE `incidents` SET `link_key` = (SELECT `r`.`new_post` || `r`.`suffix` FROM `rekeyed` `r` WHERE `r`.`id` = `incidents`.`id`)
WHERE `id` IN (
  SELECT `r`.`id` FROM `rekeyed` `r`
  WHERE NOT EXISTS (
      SELECT 1 FROM `incidents` `j`
      WHERE `j`.`link_key` = `r`.`new_post`
        OR (`j`.`link_key` >= `r`.`new_post` || '#' AND `j`.`link_key` < `r`.`new_post` || '$')
    )
    AND (SELECT min(`g`.`id`) FROM `rekeyed` `g` WHERE `g`.`post` = `r`.`post`)
      = (SELECT min(`q`.`id`) FROM `rekeyed` `q` WHERE `q`.`new_post` = `r`.`new_post`)
);
--> statement-breakpoint
DROP TABLE `rekeyed`;
