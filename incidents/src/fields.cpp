#include "incidentmap/incidents/fields.hpp"

namespace incidentmap::incidents {

namespace {

// A member's value into a FieldValue, by its C++ type.
void put(FieldValue& v, const std::string& s) noexcept {
    v.text = s;
}
void put(FieldValue& v, std::int64_t n) noexcept {
    v.integer = n;
}
void put(FieldValue& v, int n) noexcept {
    v.integer = n;
}
void put(FieldValue& v, double x) noexcept {
    v.number = x;
}

// A FieldValue's value for a member of type T.
template <typename T> T value_for(const FieldValue& v) {
    if constexpr (std::is_same_v<T, std::string>) {
        return std::string(v.text);
    } else if constexpr (std::is_same_v<T, double>) {
        return v.number;
    } else {
        return static_cast<T>(v.integer);
    }
}

// Stores a view's value into a member, reusing a string's storage.
template <typename T, typename V> void store(T& m, const V& v) {
    if constexpr (std::is_same_v<T, std::string>) {
        m.assign(v);
    } else {
        m = static_cast<T>(v);
    }
}

} // namespace

const FieldInfo* find_field(std::string_view name) noexcept {
    for (const auto& f : fields) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

FieldValue get_field(const Incident& incident, Field field) noexcept {
    FieldValue v;
    with_field(field, [&]<Field F>() {
        const auto& m = member<F>(incident);
        if constexpr (info(F).nullable) {
            v.null = !m;
            if (m) {
                put(v, *m);
            }
        } else {
            put(v, m);
        }
    });
    return v;
}

void set_field(Incident& incident, Field field, const FieldValue& value) {
    with_field(field, [&]<Field F>() {
        auto& m = member<F>(incident);
        if constexpr (info(F).nullable) {
            // An object is never empty text: empty text (a file's empty cell) is none.
            if (value.null || (info(F).type == FieldType::object && value.text.empty())) {
                m.reset();
            } else {
                m = value_for<typename member_type<F>::value_type>(value);
            }
        } else {
            m = value_for<member_type<F>>(value);
        }
    });
}

detail::IncidentFields detail::fields_of(const Incident& incident) noexcept {
    IncidentFields f;
    for_each_field([&]<Field F>() {
        const auto& m = member<F>(incident);
        if constexpr (info(F).nullable) {
            if (m) {
                f.put<F>(*m);
            } else {
                f.set_null<F>();
            }
        } else {
            f.put<F>(m);
        }
    });
    f.evidence = incident.evidence;
    return f;
}

void detail::assign_fields(Incident& incident, const IncidentFields& f) {
    for_each_field([&]<Field F>() {
        auto& m = member<F>(incident);
        if constexpr (info(F).nullable) {
            if (f.is_null<F>()) {
                m.reset();
            } else if (m) {
                store(*m, f.get<F>());
            } else {
                m.emplace();
                store(*m, f.get<F>());
            }
        } else {
            store(m, f.get<F>());
        }
    });
}

} // namespace incidentmap::incidents
