-- Issue 9: which resource (EC2 instance, ECS task, EKS pod) an access key stands for. MeterUsage's
-- once-per-hour rule and RegisterUsage's task count by it, so that the rotating credentials of one
-- instance count as one instance. NULL: the key stands for itself.
ALTER TABLE access_key ADD COLUMN resource_id TEXT;

-- A product that runs on Amazon Bedrock AgentCore Runtime: MeterUsage may report many times an hour,
-- each call deduplicated by its ClientToken alone.
ALTER TABLE product ADD COLUMN agent_core BOOLEAN NOT NULL DEFAULT FALSE;

-- RegisterUsage answers PlatformNotSupportedException from a platform its product does not list.
-- A request does not say where its caller runs, so the catalog says it per access key (NULL:
-- unknown, not checked). A product's platforms are comma-separated names; NULL: ECS,EKS,FARGATE.
ALTER TABLE access_key ADD COLUMN platform TEXT;
ALTER TABLE product ADD COLUMN platforms TEXT;
