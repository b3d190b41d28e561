package spec

// Action is one node of Diego's action tree as the JSON API stores it: an
// object with exactly one key naming its kind. Optional strings the executor
// treats as "absent vs empty" (log_source, artifact) are pointers, because the
// local executor falls back only when they are absent.
type Action struct {
	Run          *RunAction          `json:"run,omitempty"`
	Download     *DownloadAction     `json:"download,omitempty"`
	Upload       *UploadAction       `json:"upload,omitempty"`
	Timeout      *TimeoutAction      `json:"timeout,omitempty"`
	EmitProgress *EmitProgressAction `json:"emit_progress,omitempty"`
	Try          *TryAction          `json:"try,omitempty"`
	Parallel     *ListAction         `json:"parallel,omitempty"`
	Serial       *ListAction         `json:"serial,omitempty"`
	Codependent  *ListAction         `json:"codependent,omitempty"`
}

type EnvVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type ResourceLimits struct {
	Nofile *uint64 `json:"nofile,omitempty"`
}

type RunAction struct {
	Path              string          `json:"path"`
	Args              []string        `json:"args,omitempty"`
	Dir               string          `json:"dir,omitempty"`
	Env               []EnvVar        `json:"env,omitempty"`
	User              string          `json:"user"`
	ResourceLimits    *ResourceLimits `json:"resource_limits,omitempty"`
	SuppressLogOutput bool            `json:"suppress_log_output,omitempty"`
	LogSource         *string         `json:"log_source,omitempty"`
}

type DownloadAction struct {
	From              string  `json:"from"`
	To                string  `json:"to"`
	CacheKey          string  `json:"cache_key,omitempty"`
	Artifact          *string `json:"artifact,omitempty"`
	User              string  `json:"user"`
	ChecksumAlgorithm string  `json:"checksum_algorithm,omitempty"`
	ChecksumValue     string  `json:"checksum_value,omitempty"`
	LogSource         *string `json:"log_source,omitempty"`
}

type UploadAction struct {
	From      string  `json:"from"`
	To        string  `json:"to"`
	Artifact  *string `json:"artifact,omitempty"`
	User      string  `json:"user"`
	LogSource *string `json:"log_source,omitempty"`
}

type TimeoutAction struct {
	Action    *Action `json:"action"`
	TimeoutMs int64   `json:"timeout_ms"`
	LogSource *string `json:"log_source,omitempty"`
}

type EmitProgressAction struct {
	Action               *Action `json:"action"`
	StartMessage         string  `json:"start_message,omitempty"`
	SuccessMessage       string  `json:"success_message,omitempty"`
	FailureMessagePrefix string  `json:"failure_message_prefix,omitempty"`
	LogSource            *string `json:"log_source,omitempty"`
}

type TryAction struct {
	Action    *Action `json:"action"`
	LogSource *string `json:"log_source,omitempty"`
}

// ListAction is the body of serial, parallel and codependent.
type ListAction struct {
	Actions   []*Action `json:"actions"`
	LogSource *string   `json:"log_source,omitempty"`
}

// Kind names the action's one key ("" when none or several are set).
func (a *Action) Kind() string {
	kind, n := "", 0
	set := func(ok bool, name string) {
		if ok {
			kind = name
			n++
		}
	}
	set(a.Run != nil, "run")
	set(a.Download != nil, "download")
	set(a.Upload != nil, "upload")
	set(a.Timeout != nil, "timeout")
	set(a.EmitProgress != nil, "emit_progress")
	set(a.Try != nil, "try")
	set(a.Parallel != nil, "parallel")
	set(a.Serial != nil, "serial")
	set(a.Codependent != nil, "codependent")
	if n != 1 {
		return ""
	}
	return kind
}
