-- Icinga 2 IDO before 2.8.0: the unique keys on downtimes and comments, no removal indexes.
DROP INDEX idx_downtimehistory_remove;
DROP INDEX idx_scheduleddowntime_remove;
DROP INDEX idx_commenthistory_remove;
DROP INDEX idx_comments_remove;
ALTER TABLE icinga_downtimehistory
  ADD CONSTRAINT UQ_downtimehistory UNIQUE (instance_id, object_id, entry_time, internal_downtime_id);
ALTER TABLE icinga_scheduleddowntime
  ADD CONSTRAINT UQ_scheduleddowntime UNIQUE (instance_id, object_id, entry_time, internal_downtime_id);
ALTER TABLE icinga_commenthistory
  ADD CONSTRAINT UQ_commenthistory UNIQUE (instance_id, object_id, comment_time, internal_comment_id);
ALTER TABLE icinga_comments
  ADD CONSTRAINT UQ_comments UNIQUE (instance_id, object_id, comment_time, internal_comment_id);
