package dev.sluice.api.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One expression of Knative's subscriptions-API filter dialect; exactly one field is set. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Filter {
    private Map<String, String> exact = new LinkedHashMap<>();
    private Map<String, String> prefix = new LinkedHashMap<>();
    private Map<String, String> suffix = new LinkedHashMap<>();
    private List<Filter> all = new ArrayList<>();
    private List<Filter> any = new ArrayList<>();
    private Filter not;
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
