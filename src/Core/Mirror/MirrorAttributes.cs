namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// The name of every attribute of every item in the mirror table, one nested class per item, as
/// docs/design/mirror-table.md lists them. The key attributes (<c>pk</c>, <c>sk</c>), the feed index's (<c>fb</c>,
/// <c>fs</c>), the TTL attribute (<c>exp</c>) and the key formats are the table's layout, in <see cref="MirrorTable"/>.
/// Names are short because every item carries them, and they are on the wire: tables in use hold them, so renaming
/// one is a migration, not a refactoring (the golden tests in MirrorItemFormatTests pin them).
/// </summary>
public static class MirrorAttributes
{
    /// <summary>What user and group snapshots (<c>U#…</c> and <c>G#…</c> / <c>S</c>) both carry.</summary>
    public static class Snapshot
    {
        /// <summary>The pool the observation came from (the source pool).</summary>
        public const string SourcePool = "pool";

        /// <summary>A tombstone: the user or group is gone from the source pool.</summary>
        public const string Deleted = "del";

        /// <summary>The profile version of a user, the version of a group (UTC ticks; 0 = never observed).</summary>
        public const string ProfileVersion = "pv";

        /// <summary>The groups version of a user (UTC ticks; 0 = never observed); 0 on groups.</summary>
        public const string GroupsVersion = "gv";

        /// <summary>When the last content change was observed (UTC ticks).</summary>
        public const string ChangedAt = "ct";

        /// <summary>How the last content change was captured (a <c>CaptureSource</c> name).</summary>
        public const string ChangeSource = "src";

        /// <summary>The replication control's epoch the item was written under (only while a control item exists).</summary>
        public const string Epoch = "ep";
    }

    /// <summary>A user snapshot, besides <see cref="Snapshot"/>.</summary>
    public static class User
    {
        /// <summary>The identity key.</summary>
        public const string Key = "k";

        /// <summary>The username in the source pool.</summary>
        public const string Username = "un";

        /// <summary>The <c>sub</c> in the source pool.</summary>
        public const string Sub = "sub";

        /// <summary>The attributes (a map of name to value).</summary>
        public const string Attributes = "a";

        public const string Enabled = "en";

        public const string Status = "st";

        public const string ProfileHash = "ph";

        /// <summary>The group names (a list).</summary>
        public const string Groups = "g";

        public const string GroupsHash = "gh";
    }

    /// <summary>A group snapshot, besides <see cref="Snapshot"/>.</summary>
    public static class Group
    {
        public const string Name = "name";

        public const string Description = "d";

        public const string Precedence = "p";

        /// <summary>The IAM role ARN.</summary>
        public const string RoleArn = "r";

        /// <summary>The content hash (name aside).</summary>
        public const string Hash = "h";
    }

    /// <summary>The sub index: a source pool's <c>sub</c> → identity key (<c>SUB#&lt;sub&gt;</c> / <c>S</c>).</summary>
    public static class SubIndex
    {
        public const string Key = User.Key;
    }

    /// <summary>What one Region's reconciler applied for a user or group (<c>U#…</c> or <c>G#…</c> / <c>A#&lt;Region&gt;</c>).</summary>
    public static class Applied
    {
        public const string ProfileVersion = Snapshot.ProfileVersion;

        public const string GroupsVersion = Snapshot.GroupsVersion;

        public const string ProfileHash = User.ProfileHash;

        public const string GroupsHash = User.GroupsHash;

        /// <summary>The counterpart's username in the target pool.</summary>
        public const string TargetUsername = "tu";

        /// <summary>The counterpart's <c>sub</c> in the target pool.</summary>
        public const string TargetSub = "tsub";

        /// <summary>The user's <c>sub</c> in the source pool.</summary>
        public const string SourceSub = "ssub";

        public const string AppliedAt = "at";

        /// <summary>Who holds the entity's apply lease (a worker's holder id), while one does.</summary>
        public const string LeaseHolder = "lh";

        /// <summary>When the apply lease runs out (UTC ticks), while one is held.</summary>
        public const string LeaseExpiresAt = "le";
    }

    /// <summary>Which identity a target pool's user carries (<c>MAP#&lt;pool&gt;#&lt;sub&gt;</c> / <c>S</c>).</summary>
    public static class Mapping
    {
        public const string Key = User.Key;

        public const string SourceSub = Applied.SourceSub;

        /// <summary>The <c>sub</c> in the pool the user first signed up in.</summary>
        public const string OriginalSub = "osub";
    }

    /// <summary>Which client of a target pool stands for a source pool's client of the same name (<c>CLIENTS#&lt;target pool&gt;</c> / <c>&lt;client name&gt;</c>).</summary>
    public static class ClientMapping
    {
        public const string Name = Group.Name;

        public const string SourcePool = Snapshot.SourcePool;

        /// <summary>The client's id in the source pool.</summary>
        public const string SourceClientId = "scid";

        /// <summary>The client's id in the target pool.</summary>
        public const string TargetClientId = "tcid";

        /// <summary>When configuration apply last confirmed the pair (UTC ticks).</summary>
        public const string MappedAt = Applied.AppliedAt;
    }

    /// <summary>
    /// The keyed fingerprint of a secret <c>idrep clients rotate-secret</c> set (<c>SECRETS#&lt;pool&gt;</c> /
    /// <c>&lt;client id&gt;#&lt;secret id&gt;</c>): Cognito never returns a custom secret's value, so this is how the
    /// comparison knows it. The fingerprint only (HMAC-SHA-256 under <c>Replication:SecretFingerprintKey</c>), never the value.
    /// </summary>
    public static class RotatedSecret
    {
        public const string Name = Group.Name;

        /// <summary>The client's id in the pool.</summary>
        public const string ClientId = "cid";

        /// <summary>The secret's id in the client (<c>ClientSecretId</c>).</summary>
        public const string SecretId = "sid";

        /// <summary>The secret's keyed fingerprint (<c>hmac:…</c>).</summary>
        public const string Fingerprint = "fp";

        /// <summary>When the rotation set it (UTC ticks).</summary>
        public const string RecordedAt = Applied.AppliedAt;
    }

    /// <summary>
    /// What the last configuration apply could not write for a client of a target pool (<c>REFUSED#&lt;target pool&gt;</c> /
    /// <c>&lt;client name&gt;</c>): a list of refusals, each a map of subject, operation, Cognito's code, the reason
    /// (withheld for a write that carries a secret) and the fix. Never a secret.
    /// </summary>
    public static class ClientRefusals
    {
        public const string Name = Group.Name;

        /// <summary>When the apply that was refused ran (UTC ticks).</summary>
        public const string RecordedAt = Applied.AppliedAt;

        /// <summary>The refusals: a list of maps with the names below.</summary>
        public const string Refusals = "rs";

        /// <summary>What was refused: <c>client &lt;name&gt;</c> or <c>secret &lt;name&gt;</c>.</summary>
        public const string Subject = "subj";

        public const string Operation = "op";

        public const string Code = Parked.Code;

        public const string Reason = Parked.Reason;

        public const string Fix = "fix";
    }

    /// <summary>A reconciler's feed checkpoint (<c>CP#&lt;Region&gt;</c> / <c>B#&lt;bucket&gt;</c>).</summary>
    /// <summary>A configuration hint (<c>CFG#&lt;pool&gt;#&lt;kind&gt;[#&lt;id&gt;]</c> / <c>S</c>): an object of the source pool's configuration changed; it is on the feed.</summary>
    public static class ConfigHint
    {
        /// <summary>The source pool the object belongs to.</summary>
        public const string SourcePool = Snapshot.SourcePool;

        /// <summary>The kind of object (<c>client</c>, <c>resourceServer</c>, <c>idp</c>, <c>pool</c>, <c>mfa</c>, <c>schema</c>, <c>domain</c>, <c>ui</c>).</summary>
        public const string Kind = "ck";

        /// <summary>The object's id in the source pool (client id, resource server identifier, provider name, domain); absent for pool-wide kinds.</summary>
        public const string ObjectId = "oid";

        /// <summary>The client's name when the record named it; absent otherwise.</summary>
        public const string ObjectName = Group.Name;

        /// <summary>The operation whose record asked for the re-read (CloudTrail's <c>eventName</c>).</summary>
        public const string Operation = "op";

        /// <summary>The hint's version: when capture saw the record (UTC ticks); a write is conditional on it being newer.</summary>
        public const string Version = Snapshot.ProfileVersion;

        /// <summary>When the change was observed (UTC ticks), for lag.</summary>
        public const string ChangedAt = Snapshot.ChangedAt;

        /// <summary>Which capture path wrote it (<c>CloudTrail</c>).</summary>
        public const string ChangeSource = Snapshot.ChangeSource;
    }

    public static class Checkpoint
    {
        public const string Position = "pos";
    }

    /// <summary>An entity a reconciler could not apply (<c>PK#&lt;Region&gt;</c> / <c>U#…</c> or <c>G#…</c>).</summary>
    public static class Parked
    {
        public const string Code = "code";

        /// <summary>What is wrong; names attributes, never their values.</summary>
        public const string Reason = "reason";

        public const string Version = "v";

        public const string ParkedAt = "at";
    }

    /// <summary>A capture hint (<c>HINT</c> / <c>&lt;due&gt;#&lt;pool&gt;#&lt;username&gt;</c>).</summary>
    public static class Hint
    {
        public const string Username = User.Username;

        public const string SourcePool = Snapshot.SourcePool;

        public const string Source = Snapshot.ChangeSource;

        public const string FirstSeen = "first";

        public const string Due = "due";

        public const string Attempts = "n";
    }

    /// <summary>A pending sweep of a pool, coalesced (<c>SWEEP#&lt;pool&gt;</c> / <c>S</c>).</summary>
    public static class Sweep
    {
        public const string FirstRequestedAt = "first";

        public const string LastRequestedAt = "last";

        public const string Count = "n";
    }

    /// <summary>The table's layout record (<c>META</c> / <c>META</c>).</summary>
    public static class Layout
    {
        public const string FeedBuckets = "buckets";

        public const string Version = "layout";
    }

    /// <summary>The replication control (<c>CTRL</c> / <c>REPLICATION</c>).</summary>
    public static class Control
    {
        public const string Epoch = "epoch";

        public const string SourceRegion = "sr";

        public const string SourcePool = "sp";

        public const string TargetRegion = "tr";

        public const string TargetPool = "tp";

        /// <summary>Whether the source may record snapshots (<c>false</c> while a failover has fenced it).</summary>
        public const string Writable = "w";

        public const string ChangedAt = "at";

        /// <summary>When the source became the source (the reversal that made it so; kept through a fence).</summary>
        public const string SourceSince = "since";

        public const string RunId = "run";
    }

    /// <summary>A failover run in the execution journal (<c>RUN#&lt;id&gt;</c> / <c>RUN</c>).</summary>
    public static class Run
    {
        public const string Kind = "kind";

        public const string Environment = "env";

        public const string From = "from";

        public const string To = "to";

        /// <summary>The plan's content hash.</summary>
        public const string PlanHash = "plan";

        public const string PlanPath = "path";

        public const string State = "state";

        public const string Attempts = "n";

        public const string StartedAt = "started";

        public const string EndedAt = "ended";

        public const string RtoSeconds = "rto";

        public const string RpoEstimateSeconds = "rpo";

        public const string Summary = "summary";
    }

    /// <summary>A step of a failover run (<c>RUN#&lt;id&gt;</c> / <c>STEP#&lt;name&gt;</c>).</summary>
    public static class Step
    {
        public const string Name = "name";

        public const string State = Run.State;

        public const string Attempts = Run.Attempts;

        /// <summary>The step found its work done already.</summary>
        public const string AlreadyDone = "done";

        public const string StartedAt = Run.StartedAt;

        public const string EndedAt = Run.EndedAt;

        public const string Detail = "detail";

        /// <summary>What the step needs to resume (a map).</summary>
        public const string Data = "data";
    }

    /// <summary>The journal's index of runs by start time (<c>RUNS</c> / <c>&lt;start&gt;#&lt;id&gt;</c>).</summary>
    public static class RunIndex
    {
        public const string RunId = "run";
    }
}
