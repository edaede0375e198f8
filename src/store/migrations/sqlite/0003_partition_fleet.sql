-- 0003_partition_fleet: PostgreSQL partitions its fleet-sized tables here; SQLite keeps one
-- table each (the numbers stay aligned across back ends).
SELECT 1;
