using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Core.Configuration;

/// <summary>
/// The settings a tool reads, derived by reflection from the options types bound to its sections: a new property of
/// an options type is a known key at once. <see cref="Check"/> runs before binding and finds what binding would throw
/// on or silently ignore — values of the wrong form, unknown keys under the tool's sections, and sections whose
/// names are near misses of the tool's — all at once.
/// </summary>
public sealed class SettingsSchema
{
    private readonly Group _root = new();
    private readonly HashSet<string> _leftToOthers;

    /// <param name="sections">Each bound section's path (<c>Quotas:Primary</c>) and options type; two types may share a section.</param>
    /// <param name="leftToOthers">Keys that belong to something else and are not checked, wherever they come from: under the tool's sections (e.g. <c>Aws:Region</c>, the AWS SDK's) or top-level sections.</param>
    [RequiresUnreferencedCode("Reads the options types' public properties by reflection.")]
    public SettingsSchema(IEnumerable<(string Path, Type Options)> sections, IEnumerable<string>? leftToOthers = null)
    {
        foreach (var (path, type) in sections)
        {
            var segments = path.Split(ConfigurationPath.KeyDelimiter);
            var group = _root;
            foreach (var segment in segments[..^1])
            {
                group = group.Children.TryGetValue(segment, out var node) ? node as Group ?? throw new ArgumentException($"'{path}' nests under a setting.", nameof(sections)) : group.Add(segment, new Group());
            }

            var typeNode = NodeFor(type);
            if (group.Children.TryGetValue(segments[^1], out var existing) && existing is Group shared && typeNode is Group more)
            {
                // Two options types bound to one section (Replication: the pools, and configuration replication's settings).
                foreach (var name in more.Names)
                {
                    shared.Add(name, more.Children[name]);
                }
            }
            else
            {
                group.Add(segments[^1], typeNode);
            }
        }

        _leftToOthers = new HashSet<string>(leftToOthers ?? [], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The tool's top-level sections.</summary>
    public IEnumerable<string> Sections => _root.Names;

    /// <summary>
    /// Every problem with <paramref name="configuration"/>. A top-level section that is not the tool's belongs to
    /// something else (<c>Logging</c>) and is left alone, unless its name is a near miss of one of the tool's — or
    /// <paramref name="everySectionIsOurs"/> says the source is the tool's alone (its <c>IDREP_</c> environment variables).
    /// </summary>
    public IReadOnlyList<ConfigurationProblem> Check(IConfiguration configuration, bool everySectionIsOurs = false)
    {
        var problems = new List<ConfigurationProblem>();
        foreach (var section in configuration.GetChildren().Where(s => !_leftToOthers.Contains(s.Path)))
        {
            if (_root.Children.TryGetValue(section.Key, out var node))
            {
                CheckSection(section, node, problems);
            }
            else if (section.GetChildren().Any() && (everySectionIsOurs || ConfigurationProblem.Nearest(section.Key, _root.Names) is not null))
            {
                problems.Add(ConfigurationProblem.Unknown(string.Empty, section.Key, "a section", _root.Names));
            }
        }

        return problems;
    }

    private void CheckSection(IConfigurationSection section, Node node, List<ConfigurationProblem> problems)
    {
        var children = section.GetChildren().ToList();
        switch (node)
        {
            case Scalar scalar when children.Count > 0:
                problems.Add(ConfigurationProblem.Invalid(section.Path, $"{{ {string.Join(", ", children.Select(c => c.Key))} }}", scalar.Form));
                break;
            // An empty value leaves the default, as binding does (IDREP_Mirror__FeedBuckets= with nothing after it).
            case Scalar scalar when section.Value is { Length: > 0 } text && !SettingValues.IsValid(scalar.Type, text):
                problems.Add(ConfigurationProblem.Invalid(section.Path, text, scalar.Form));
                break;
            case Group group when children.Count == 0 && !string.IsNullOrEmpty(section.Value):
                problems.Add(ConfigurationProblem.Invalid(section.Path, section.Value, $"a section with the settings {string.Join(", ", group.Names)}"));
                break;
            case Group group:
                foreach (var child in children.Where(c => !_leftToOthers.Contains(c.Path)))
                {
                    if (group.Children.TryGetValue(child.Key, out var known))
                    {
                        CheckSection(child, known, problems);
                    }
                    else
                    {
                        problems.Add(ConfigurationProblem.Unknown(section.Path, child.Key, "a setting", group.Names));
                    }
                }

                break;
            case Collection collection when children.Count == 0 && !string.IsNullOrEmpty(section.Value):
                problems.Add(ConfigurationProblem.Invalid(section.Path, section.Value, collection.Form));
                break;
            case Collection collection:
                foreach (var child in children)
                {
                    CheckSection(child, collection.Item, problems);
                }

                break;
        }
    }

    [RequiresUnreferencedCode("Reads the options type's public properties by reflection.")]
    private static Node NodeFor(Type type)
    {
        if (SettingValues.FormOf(type) is { } form)
        {
            return new Scalar(type, form);
        }

        if (type == typeof(string) || type == typeof(Uri))
        {
            return new Scalar(type, "text");
        }

        if (ItemType(type) is { } item)
        {
            var dictionary = type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
            return new Collection(NodeFor(item), dictionary
                ? "a section of names and values, e.g. { \"name\": value } in JSON"
                : "a list, e.g. [ \"a\", \"b\" ] in JSON, or one environment variable per item ending __0, __1, …");
        }

        var group = new Group();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // What the binder writes: settable properties, and collections it fills in place.
            if (property.GetIndexParameters().Length == 0 && property.CanRead
                && (property.SetMethod?.IsPublic == true || ItemType(property.PropertyType) is not null))
            {
                group.Add(property.Name, NodeFor(property.PropertyType));
            }
        }

        return group;
    }

    /// <summary>The value type of a dictionary, or the item type of a list or array; null for anything else.</summary>
    [RequiresUnreferencedCode("Reads the type's interfaces by reflection.")]
    private static Type? ItemType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var interfaces = type.GetInterfaces().Append(type).Where(i => i.IsGenericType).ToList();
        return interfaces.FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IDictionary<,>))?.GetGenericArguments()[1]
            ?? interfaces.FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private abstract class Node;

    private sealed class Scalar(Type type, string form) : Node
    {
        public Type Type => type;

        public string Form => form;
    }

    private sealed class Collection(Node item, string form) : Node
    {
        public Node Item => item;

        public string Form => form;
    }

    private sealed class Group : Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Names { get; } = [];

        public T Add<T>(string name, T node)
            where T : Node
        {
            Children.Add(name, node);
            Names.Add(name);
            return node;
        }
    }
}
