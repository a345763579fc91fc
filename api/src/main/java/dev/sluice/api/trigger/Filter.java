package dev.sluice.api.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One expression of Knative's subscriptions-API filter dialect; exactly one field is set. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Filter {
    @JsonPropertyDescription("Attribute name to value; every attribute must equal its value.")
    private Map<String, String> exact = new LinkedHashMap<>();
    @JsonPropertyDescription("Attribute name to prefix; every attribute must start with its prefix.")
    private Map<String, String> prefix = new LinkedHashMap<>();
    @JsonPropertyDescription("Attribute name to suffix; every attribute must end with its suffix.")
    private Map<String, String> suffix = new LinkedHashMap<>();
    @JsonPropertyDescription("Every nested filter must match.")
    private List<Filter> all = new ArrayList<>();
    @JsonPropertyDescription("At least one nested filter must match.")
    private List<Filter> any = new ArrayList<>();
    @JsonPropertyDescription("The nested filter must not match.")
    private Filter not;
    @JsonPropertyDescription("A CloudEvents SQL expression that must be true.")
    private String cesql;

    public Map<String, String> getExact() {
        return exact;
    }

    public void setExact(Map<String, String> exact) {
        this.exact = exact == null ? new LinkedHashMap<>() : exact;
    }

    public Map<String, String> getPrefix() {
        return prefix;
    }

    public void setPrefix(Map<String, String> prefix) {
        this.prefix = prefix == null ? new LinkedHashMap<>() : prefix;
    }

    public Map<String, String> getSuffix() {
        return suffix;
    }

    public void setSuffix(Map<String, String> suffix) {
        this.suffix = suffix == null ? new LinkedHashMap<>() : suffix;
    }

    public List<Filter> getAll() {
        return all;
    }

    public void setAll(List<Filter> all) {
        this.all = all == null ? new ArrayList<>() : all;
    }

    public List<Filter> getAny() {
        return any;
    }

    public void setAny(List<Filter> any) {
        this.any = any == null ? new ArrayList<>() : any;
    }

    public Filter getNot() {
        return not;
    }

    public void setNot(Filter not) {
        this.not = not;
    }

    public String getCesql() {
        return cesql;
    }

    public void setCesql(String cesql) {
        this.cesql = cesql;
    }
}
